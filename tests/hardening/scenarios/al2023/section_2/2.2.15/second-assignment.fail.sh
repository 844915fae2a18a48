#!/usr/bin/env bash
mkdir -p etc/postfix
printf '#!/bin/sh\n' > usr/sbin/postfix

# Trap: postfix uses the last assignment; the first one looks right.
printf 'inet_interfaces = localhost\nmyhostname = node.example\ninet_interfaces = all\n' > etc/postfix/main.cf
