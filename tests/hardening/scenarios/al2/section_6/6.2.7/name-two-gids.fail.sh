#!/usr/bin/env bash
# apply: error
printf 'adm:x:1004:\n' >> etc/group
