#!/usr/bin/env bash
# expect: not-applicable
rm -f etc/motd
