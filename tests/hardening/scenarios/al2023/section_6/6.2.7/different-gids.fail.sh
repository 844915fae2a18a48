#!/usr/bin/env bash
# apply: error
printf 'adm:x:40:\n' >> etc/group
