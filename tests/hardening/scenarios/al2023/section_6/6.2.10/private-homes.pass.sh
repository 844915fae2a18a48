#!/usr/bin/env bash
# As on a stock node: /root 0550, ec2-user's home 0700 and its own.
chmod 0550 root
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user

# nologin accounts are not interactive: their homes are not checked.
printf 'svc:x:1002:1002::/var/lib/svc:/sbin/nologin\n' >> etc/passwd
