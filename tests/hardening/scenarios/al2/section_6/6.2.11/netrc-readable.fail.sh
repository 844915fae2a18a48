#!/usr/bin/env bash
# Trap: .netrc holds passwords and is readable by everyone.
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user
chmod 0550 root
printf 'alias ll="ls -l"\n' > home/ec2-user/.bashrc
chown 1000:1000 home/ec2-user/.bashrc
chmod 0644 home/ec2-user/.bashrc
printf 'machine example.com login a password b\n' > home/ec2-user/.netrc
chown 1000:1000 home/ec2-user/.netrc
chmod 0644 home/ec2-user/.netrc
