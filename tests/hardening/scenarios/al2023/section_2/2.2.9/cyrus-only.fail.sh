#!/usr/bin/env bash
# apply: deferred
# Trap: no dovecot, but cyrus-imapd's master process is installed.
mkdir -p usr/libexec/cyrus-imapd
printf '#!/bin/sh\n' > usr/libexec/cyrus-imapd/cyrus-master
