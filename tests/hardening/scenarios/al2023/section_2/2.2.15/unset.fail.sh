#!/usr/bin/env bash
mkdir -p etc/postfix
printf '#!/bin/sh\n' > usr/sbin/postfix

# Trap: no inet_interfaces at all means postfix's default, all interfaces.
printf '# inet_interfaces = loopback-only\nmyhostname = node.example\n' > etc/postfix/main.cf
