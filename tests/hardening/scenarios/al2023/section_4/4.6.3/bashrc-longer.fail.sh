#!/usr/bin/env bash
# Trap: profile.d is right, /etc/bashrc sets a longer timeout.
printf "TMOUT=600\nreadonly TMOUT\nexport TMOUT\n" > etc/profile.d/tmout.sh
printf "TMOUT=3600\n" >> etc/bashrc
