#!/usr/bin/env bash
printf 'tmpfs /tmp tmpfs defaults,nodev,nosuid 0 0\n' >> etc/fstab
