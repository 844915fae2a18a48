#!/usr/bin/env bash
chmod 0550 root
chown 1000:1000 home/ec2-user
chmod 0700 home/ec2-user

# Trap: a home readable by everyone, another owned by someone else, one missing.
chmod 0755 home/ec2-user
printf 'builder:x:1001:1000::/home/builder:/bin/bash\n' >> etc/passwd
mkdir -p home/deploy
printf 'deploy:x:1002:1000::/home/deploy:/usr/bin/bash\n' >> etc/passwd
