#!/usr/bin/env bash
# apply: error
# Trap: one name, two UIDs: which one logs in depends on the lookup order.
printf 'ec2-user:x:1001:1000::/home/ec2-user:/bin/bash\n' >> etc/passwd
