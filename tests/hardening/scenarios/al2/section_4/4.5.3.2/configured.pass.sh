#!/usr/bin/env bash
printf 'TMOUT=900\nreadonly TMOUT\nexport TMOUT\n' > etc/profile.d/tmout.sh
