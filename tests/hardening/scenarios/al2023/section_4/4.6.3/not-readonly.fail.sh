#!/usr/bin/env bash
# Trap: set and exported, but a user can unset it.
printf "export TMOUT=900\n" > etc/profile.d/tmout.sh
