#!/usr/bin/env bash
# Trap: owned right, but group-writable and world-readable.
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user
chmod 0550 root
chmod 0775 home/ec2-user
