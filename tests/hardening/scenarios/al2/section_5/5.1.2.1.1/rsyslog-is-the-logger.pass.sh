#!/usr/bin/env bash
# expect: not-applicable
# rsyslog is installed and enabled: the journald remote controls do not apply.
test -L etc/systemd/system/multi-user.target.wants/rsyslog.service
