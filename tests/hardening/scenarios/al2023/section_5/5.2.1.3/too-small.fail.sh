#!/usr/bin/env bash
# Trap: the argument is there but below 8192.
sed -i 's/^options \(.*\)$/options \1 audit_backlog_limit=1024/' boot/loader/entries/*.conf
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="audit_backlog_limit=8192"/' etc/default/grub
