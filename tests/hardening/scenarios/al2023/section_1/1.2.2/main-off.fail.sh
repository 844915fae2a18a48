#!/usr/bin/env bash
sed -i 's/^gpgcheck=True/gpgcheck=False/' etc/dnf/dnf.conf
