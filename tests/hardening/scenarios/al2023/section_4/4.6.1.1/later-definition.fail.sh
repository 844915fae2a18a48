#!/usr/bin/env bash
# Trap: a second PASS_MAX_DAYS further down wins.
sed -i "s/^PASS_MAX_DAYS.*/PASS_MAX_DAYS\t365/" etc/login.defs; printf "PASS_MAX_DAYS 99999\n" >> etc/login.defs
