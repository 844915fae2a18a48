#!/usr/bin/env bash
sed -i 's/^gpgcheck=1/gpgcheck=0/' etc/yum.conf
