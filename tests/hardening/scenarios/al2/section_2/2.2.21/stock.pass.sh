#!/usr/bin/env bash
# AL2's postfix listens on localhost only.
grep -q '^inet_interfaces = localhost' etc/postfix/main.cf
