#!/usr/bin/env bash
# apply: error
printf 'docker:x:10:\n' >> etc/group
