#!/usr/bin/env bash
# ec2-user's home does not exist.
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user
chmod 0550 root
rm -rf home/ec2-user
