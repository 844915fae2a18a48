#!/usr/bin/env bash
chown 1000:1000 home/ec2-user home/ec2-user/.bash_logout home/ec2-user/.bash_profile home/ec2-user/.bashrc

# Trap: credentials in a world-readable .netrc, history readable by the group, a .forward and root's .rhosts.
printf 'machine registry.example login ci password hunter2\n' > home/ec2-user/.netrc
printf 'ls\n' > home/ec2-user/.bash_history
chown 1000:1000 home/ec2-user/.netrc home/ec2-user/.bash_history
chmod 0644 home/ec2-user/.netrc
chmod 0640 home/ec2-user/.bash_history
printf 'ops@example.com\n' > home/ec2-user/.forward
printf 'bastion root\n' > root/.rhosts
chmod 0664 home/ec2-user/.bashrc
