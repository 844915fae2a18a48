#!/usr/bin/env bash
# Trap: a drop-in replaces the rescue shell with one that asks for nothing.
mkdir -p etc/systemd/system/rescue.service.d
printf '[Service]\nExecStart=\nExecStart=-/bin/sh\n' > etc/systemd/system/rescue.service.d/50-debug.conf
