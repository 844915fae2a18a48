#!/usr/bin/env bash
# An omfwd action whose target is on a later line than `action(`.
printf '%s\n' '*.* action(type="omfwd"' '           target="10.0.0.10" port="6514"' '           protocol="tcp")' \
  > etc/rsyslog.d/90-fwd.conf
