#!/usr/bin/env bash
# apply: error
# Trap: a forwarding rule in a file rsyslog never reads (its include takes /etc/rsyslog.d/*.conf only).
printf '*.* @@logs.example.internal:514\n' > etc/rsyslog.d/90-fwd.conf.rpmsave
