#!/usr/bin/env bash
# apply: error
# Trap: a second account reuses ec2-user's uid: which files belong to whom needs a person.
printf 'deploy:x:1000:1000::/home/deploy:/sbin/nologin\n' >> etc/passwd
