#!/usr/bin/env bash
# shellcheck disable=SC2016  # rsyslog directives start with a literal $
# Trap: a good mode set after the actions does not apply to the files they create.
printf '$FileCreateMode 0640\n' >> etc/rsyslog.conf
