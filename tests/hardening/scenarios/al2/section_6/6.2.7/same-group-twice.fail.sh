#!/usr/bin/env bash
line=$(grep '^adm:' etc/group)
printf '%s\n' "$line" >> etc/group
