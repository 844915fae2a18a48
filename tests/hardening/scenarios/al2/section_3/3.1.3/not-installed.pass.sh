#!/usr/bin/env bash
# The EKS AMI does not ship bluez.
test ! -e usr/libexec/bluetooth/bluetoothd
