#!/usr/bin/env bash
# As sshd-keygen creates them: 0640 root:ssh_keys is allowed.
grep -q "^ssh_keys:" etc/group || printf "ssh_keys:x:993:\n" >> etc/group
chgrp "$(awk -F: '$1 == "ssh_keys" { print $3 }' etc/group)" etc/ssh/ssh_host_rsa_key
chmod 0640 etc/ssh/ssh_host_rsa_key
