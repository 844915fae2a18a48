#!/usr/bin/env bash
# As on AL2: /root 0550, /home/ec2-user 0700 ec2-user.
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user
chmod 0550 root
