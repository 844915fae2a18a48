#!/usr/bin/env bash
# Trap: a setting libpwquality 1.2.3 does not know stops the reading before maxrepeat.
printf 'dictcheck = 1\nmaxrepeat = 3\n' >> etc/security/pwquality.conf
