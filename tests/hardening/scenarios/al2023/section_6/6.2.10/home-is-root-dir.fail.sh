#!/usr/bin/env bash
chmod 0550 root
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user

# apply: error
# Trap: an interactive account whose home is / (chowning it would hand the file system to the account).
printf 'operator2:x:1003:0::/:/bin/bash\n' >> etc/passwd
