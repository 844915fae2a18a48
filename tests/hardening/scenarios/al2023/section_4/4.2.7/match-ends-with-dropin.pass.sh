#!/usr/bin/env bash
# A Match block in an included file ends with that file: the next drop-in's line is top level again.
printf 'Match User deploy\n    X11Forwarding no\n' > etc/ssh/sshd_config.d/10-deploy.conf
printf 'PermitRootLogin no\n' > etc/ssh/sshd_config.d/20-site.conf
