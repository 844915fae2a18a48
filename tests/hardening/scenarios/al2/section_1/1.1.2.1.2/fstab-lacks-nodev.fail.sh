#!/usr/bin/env bash
printf 'tmpfs /tmp tmpfs defaults,nosuid,noexec 0 0\n' >> etc/fstab
