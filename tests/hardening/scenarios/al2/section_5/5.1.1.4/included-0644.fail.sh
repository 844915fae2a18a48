#!/usr/bin/env bash
# shellcheck disable=SC2016  # rsyslog directives start with a literal $
# Trap: an included file widens the mode rsyslog creates files with.
printf '$FileCreateMode 0644\n' > etc/rsyslog.d/10-mode.conf
