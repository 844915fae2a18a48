#!/usr/bin/env bash
printf "minlen = 15\ndcredit = -1\nucredit = -1\nlcredit = -1\nocredit = -1\n" > etc/security/pwquality.conf.d/50-cis.conf
printf "retry = 3\n" >> etc/security/pwquality.conf.d/50-cis.conf
