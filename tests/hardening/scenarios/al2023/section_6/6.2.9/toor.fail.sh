#!/usr/bin/env bash
# Trap: a second UID 0 account under another name.
printf 'toor:x:0:0:backdoor:/root:/bin/bash\n' >> etc/passwd
printf 'toor:!!:19800::::::\n' >> etc/shadow
