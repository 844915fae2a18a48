#!/usr/bin/env bash
# Trap (issue 18, section 2): ours comes first, but 50-redhat.conf's later X11Forwarding yes stays: sshd never
# uses it, a file-reading audit finds it, and a reordering of the drop-ins would revive it.
printf 'X11Forwarding no\n' > etc/ssh/sshd_config.d/20-site.conf
