#!/usr/bin/env bash
# Trap: a later !logfile turns it off again.
sed -i "s/^Defaults    env_reset/Defaults    env_reset, logfile=\/var\/log\/sudo.log/" etc/sudoers
printf "Defaults !logfile\n" > etc/sudoers.d/50-nolog
