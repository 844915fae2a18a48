#!/usr/bin/env bash
# Trap: the timer exists but is not enabled.
printf '[Service]\nType=oneshot\nExecStart=/usr/sbin/aide --check\n' > etc/systemd/system/aidecheck.service
printf '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n' > etc/systemd/system/aidecheck.timer
