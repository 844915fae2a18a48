#!/usr/bin/env bash
printf '[Unit]\nDescription=firewalld\n[Install]\nWantedBy=multi-user.target\n' > usr/lib/systemd/system/firewalld.service
ln -s /usr/lib/systemd/system/firewalld.service etc/systemd/system/multi-user.target.wants/firewalld.service
mkdir -p etc/firewalld
printf '# DefaultZone=public\nLogDenied=off\n' > etc/firewalld/firewalld.conf
