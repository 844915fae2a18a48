#!/usr/bin/env bash
sed -i 's/^PASS_WARN_AGE.*/PASS_WARN_AGE\t3/' etc/login.defs
