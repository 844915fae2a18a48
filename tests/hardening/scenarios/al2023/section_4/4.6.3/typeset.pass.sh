#!/usr/bin/env bash
printf "typeset -xr TMOUT=900\n" > etc/profile.d/tmout.sh
