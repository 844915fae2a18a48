#!/usr/bin/env bash
mkdir -p etc/postfix
printf '#!/bin/sh\n' > usr/sbin/postfix

# Trap: an indented line continues the value with a routable address.
printf 'inet_interfaces = localhost,\n    192.0.2.10\nmydomain = example\n' > etc/postfix/main.cf
