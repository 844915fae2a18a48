#!/usr/bin/env bash
sed -i "s/^root:x:0:0:/root:x:0:10:/" etc/passwd
