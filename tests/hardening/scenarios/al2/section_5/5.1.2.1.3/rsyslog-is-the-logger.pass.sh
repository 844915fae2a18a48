#!/usr/bin/env bash
# expect: not-applicable
test -L etc/systemd/system/multi-user.target.wants/rsyslog.service
