#!/usr/bin/env bash
# Stock AL2: 0755 and, as a trap, group-owned by adm.
chmod 0755 etc/cron.hourly
chgrp 4 etc/cron.hourly
