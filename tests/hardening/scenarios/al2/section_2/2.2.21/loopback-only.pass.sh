#!/usr/bin/env bash
sed -i 's/^inet_interfaces = localhost/inet_interfaces = loopback-only/' etc/postfix/main.cf
printf 'smtp inet n - n - - smtpd\n127.0.0.1:submission inet n - n - - smtpd\n' > etc/postfix/master.cf
