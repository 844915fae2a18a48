#!/usr/bin/env bash
# Trap: RainerScript syntax in an included file.
printf 'module(load="imtcp")\ninput(type="imtcp" port="514")\n' > etc/rsyslog.d/20-remote.conf
