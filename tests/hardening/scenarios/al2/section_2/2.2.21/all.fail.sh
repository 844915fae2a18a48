#!/usr/bin/env bash
sed -i 's/^inet_interfaces = localhost/inet_interfaces = all/' etc/postfix/main.cf
