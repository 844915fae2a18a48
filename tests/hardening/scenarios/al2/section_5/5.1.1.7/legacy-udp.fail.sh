#!/usr/bin/env bash
# shellcheck disable=SC2016  # rsyslog directives start with a literal $
printf '$ModLoad imudp\n$UDPServerRun 514\n' >> etc/rsyslog.conf
