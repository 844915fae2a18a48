#!/usr/bin/env bash
# expect: not-applicable
rm etc/motd
