#!/usr/bin/env bash
sed -i 's/^INACTIVE=.*/INACTIVE=30/' etc/default/useradd
