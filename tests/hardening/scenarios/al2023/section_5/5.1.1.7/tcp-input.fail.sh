#!/usr/bin/env bash
# Trap: a RainerScript input spread over several lines in a drop-in.
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
printf 'module(load="imtcp")\ninput(type="imtcp"\n      port="514")\n' > etc/rsyslog.d/30-receive.conf
