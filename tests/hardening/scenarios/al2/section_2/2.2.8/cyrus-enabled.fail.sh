#!/usr/bin/env bash
# Trap: dovecot is absent, the other message access server is enabled.
mkdir -p usr/libexec/cyrus-imapd etc/systemd/system/multi-user.target.wants
printf '#!/bin/sh\n' > usr/libexec/cyrus-imapd/cyrus-master
printf '[Service]\nExecStart=/usr/libexec/cyrus-imapd/cyrus-master\n' > usr/lib/systemd/system/cyrus-imapd.service
ln -s /usr/lib/systemd/system/cyrus-imapd.service etc/systemd/system/multi-user.target.wants/cyrus-imapd.service
