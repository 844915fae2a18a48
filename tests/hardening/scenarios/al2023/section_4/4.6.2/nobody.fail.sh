#!/usr/bin/env bash
# Trap: nobody (65534) is above UID_MIN but is a system account.
sed -i "s|^nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin|nobody:x:65534:65534:Kernel Overflow User:/:/bin/sh|" etc/passwd
