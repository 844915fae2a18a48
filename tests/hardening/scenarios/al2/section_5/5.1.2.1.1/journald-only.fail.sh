#!/usr/bin/env bash
# apply: deferred
# journald is the logging method (rsyslog disabled) and journal-upload is missing.
rm -f etc/systemd/system/multi-user.target.wants/rsyslog.service
