#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
install_rsyslog
printf '%s\n' "\$ModLoad imudp" "\$UDPServerRun 514" >> etc/rsyslog.conf
