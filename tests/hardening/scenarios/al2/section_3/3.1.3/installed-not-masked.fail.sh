#!/usr/bin/env bash
# Trap: not enabled, but D-Bus or bluetooth.target can still start it: CIS wants it masked.
mkdir -p usr/libexec/bluetooth etc/systemd/system/bluetooth.target.wants
printf '#!/bin/sh\n' > usr/libexec/bluetooth/bluetoothd
printf '[Unit]\nDescription=Bluetooth service\n[Service]\nExecStart=/usr/libexec/bluetooth/bluetoothd\n[Install]\nWantedBy=bluetooth.target\n' > usr/lib/systemd/system/bluetooth.service
