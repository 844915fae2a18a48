#!/usr/bin/env bash
# Trap: httpd is absent, nginx is enabled.
mkdir -p etc/systemd/system/multi-user.target.wants
printf '#!/bin/sh\n' > usr/sbin/nginx
printf '[Service]\nExecStart=/usr/sbin/nginx\n' > usr/lib/systemd/system/nginx.service
ln -s /usr/lib/systemd/system/nginx.service etc/systemd/system/multi-user.target.wants/nginx.service
