#!/usr/bin/env bash
# Trap: main.cf is local-only but master.cf binds smtpd to every address.
printf '0.0.0.0:smtp inet n - n - - smtpd\n' > etc/postfix/master.cf
