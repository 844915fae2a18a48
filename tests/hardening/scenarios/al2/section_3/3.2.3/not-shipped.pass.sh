#!/usr/bin/env bash
# A kernel without the module: nothing to disable.
find usr/lib/modules -name 'rds.ko*' -delete
