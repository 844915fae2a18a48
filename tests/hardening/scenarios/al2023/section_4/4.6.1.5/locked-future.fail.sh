#!/usr/bin/env bash
# Trap: a password-less account with a future date (apply must not force a change it cannot make).
sed -i "s/^ec2-user:!!:19810:/ec2-user:!!:99999:/" etc/shadow
