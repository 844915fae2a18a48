#!/usr/bin/env bash
# Trap: libpwquality 1.2.3 takes "minlen=14" (no blanks) for one unknown name and stops reading there.
printf 'minlen=14\n' >> etc/security/pwquality.conf
