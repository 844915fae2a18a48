#!/usr/bin/env bash
sed -i 's/^ec2-user:!!:19500:/ec2-user:!!:99999:/' etc/shadow
