#!/usr/bin/env bash
# The home was created by a root script and never handed over.
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user
chmod 0550 root
chown 0:0 home/ec2-user
