#!/usr/bin/env bash
# As on a stock node: ec2-user's dot files are its own, 0644.
chown 1000:1000 home/ec2-user home/ec2-user/.bash_logout home/ec2-user/.bash_profile home/ec2-user/.bashrc
