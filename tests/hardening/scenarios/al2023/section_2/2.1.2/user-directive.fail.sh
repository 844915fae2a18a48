#!/usr/bin/env bash
# Trap: a later `user` directive wins over the first one.
printf 'user chrony\nuser root\n' >> etc/chrony.conf
