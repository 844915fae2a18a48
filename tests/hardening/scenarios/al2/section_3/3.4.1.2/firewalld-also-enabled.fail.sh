#!/usr/bin/env bash
# firewalld reloads would wipe kube-proxy's rules.
printf '[Unit]\nDescription=firewalld\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/firewalld.service
ln -s /usr/lib/systemd/system/firewalld.service etc/systemd/system/multi-user.target.wants/firewalld.service
