#!/usr/bin/env bash
mkdir -p etc/postfix
printf '#!/bin/sh\n' > usr/sbin/postfix

printf 'myhostname = node.example\ninet_interfaces = loopback-only\ninet_protocols = all\n' > etc/postfix/main.cf
