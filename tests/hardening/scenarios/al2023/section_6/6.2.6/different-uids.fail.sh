#!/usr/bin/env bash
# apply: error
# Trap: the same name with another uid: lookups by name find the first, files of the second are orphaned.
printf 'ec2-user:x:1005:1000::/home/ec2-user:/bin/bash\n' >> etc/passwd
