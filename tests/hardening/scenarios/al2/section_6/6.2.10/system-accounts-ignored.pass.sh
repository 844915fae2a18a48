#!/usr/bin/env bash
# nologin accounts (like ftp with /var/ftp) are not interactive users.
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user
chmod 0550 root
grep -q '^ftp:.*/sbin/nologin$' etc/passwd
