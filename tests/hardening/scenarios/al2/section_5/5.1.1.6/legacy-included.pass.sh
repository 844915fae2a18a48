#!/usr/bin/env bash
# Legacy TCP forwarding (@@) in an included file.
printf '*.* @@logs.example.internal:514\n' > etc/rsyslog.d/90-fwd.conf
