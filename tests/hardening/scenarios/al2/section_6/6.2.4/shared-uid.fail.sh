#!/usr/bin/env bash
# apply: error
# Two different accounts share UID 1000: only a person can decide who keeps it.
printf 'deploy:x:1000:1000::/home/deploy:/bin/bash\n' >> etc/passwd
