#!/usr/bin/env bash
# Trap: the user's own .bash_profile owned by root (a root-run script wrote it).
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user
chmod 0550 root
printf 'alias ll="ls -l"\n' > home/ec2-user/.bashrc
chown 1000:1000 home/ec2-user/.bashrc
chmod 0644 home/ec2-user/.bashrc
printf 'export X=1\n' > home/ec2-user/.bash_profile
chmod 0644 home/ec2-user/.bash_profile
