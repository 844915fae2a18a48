#!/usr/bin/env bash
printf 'dcredit = -1\nucredit = -1\nlcredit = -1\nocredit = -1\n' >> etc/security/pwquality.conf
