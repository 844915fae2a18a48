#!/usr/bin/env bash
# shellcheck disable=SC2016  # rsyslog directives start with a literal $
sed -i '1i $FileCreateMode 0640' etc/rsyslog.conf
