#!/usr/bin/env bash
# bluez installed and its service enabled for bluetooth.target.
mkdir -p usr/libexec/bluetooth etc/systemd/system/bluetooth.target.wants
printf '#!/bin/sh\n' > usr/libexec/bluetooth/bluetoothd
printf '[Unit]\nDescription=Bluetooth service\n[Service]\nExecStart=/usr/libexec/bluetooth/bluetoothd\n[Install]\nWantedBy=bluetooth.target\n' > usr/lib/systemd/system/bluetooth.service
ln -s /usr/lib/systemd/system/bluetooth.service etc/systemd/system/bluetooth.target.wants/bluetooth.service
