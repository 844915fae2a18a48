#!/usr/bin/env bash
# Trap: MaxStartups is not allowed in a Match block: sshd refuses the whole configuration.
printf 'MaxStartups 10:30:60\n' > etc/ssh/sshd_config.d/20-site.conf
printf 'Match User deploy\n    MaxStartups 10:30:60\n' >> etc/ssh/sshd_config
