#!/usr/bin/env bash
# Trap: the authpriv rule is there, but commented out.
sed -i 's/^authpriv\./#authpriv./' etc/rsyslog.conf
