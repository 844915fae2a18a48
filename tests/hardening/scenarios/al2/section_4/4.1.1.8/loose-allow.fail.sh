#!/usr/bin/env bash
# Trap: cron.allow exists but is world-readable and group-owned by adm.
install -m 0644 /dev/null etc/cron.allow; chgrp 4 etc/cron.allow
