#!/usr/bin/env bash
printf "Defaults logfile=\"/var/log/sudo.log\"\n" > etc/sudoers.d/10-log
