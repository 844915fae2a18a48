#!/usr/bin/env bash
# Trap: postfix takes the last assignment; a later line opens every interface.
# shellcheck disable=SC2016  # a literal $myhostname for postfix
printf 'inet_interfaces = $myhostname, localhost\n' >> etc/postfix/main.cf
