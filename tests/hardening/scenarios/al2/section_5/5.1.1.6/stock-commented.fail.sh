#!/usr/bin/env bash
# apply: error
# Trap: the stock forwarding example of Amazon Linux 2 is there, but commented out. Without
# --set remote-log-host apply must stop (exit 2) and name the control.
# shellcheck disable=SC2016  # rsyslog directives start with a literal $
printf '%s\n' '### begin forwarding rule ###' '#$ActionQueueFileName fwdRule1' '#$ActionQueueType LinkedList' \
  '#*.* @@remote-host:514' '### end of the forwarding rule ###' >> etc/rsyslog.conf
