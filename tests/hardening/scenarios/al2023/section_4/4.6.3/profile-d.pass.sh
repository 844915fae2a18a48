#!/usr/bin/env bash
printf "TMOUT=600\nreadonly TMOUT\nexport TMOUT\n" > etc/profile.d/tmout.sh
