#!/usr/bin/env bash
sed -i 's/^options \(.*\)$/options \1 audit_backlog_limit=16384/' boot/loader/entries/*.conf
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="audit_backlog_limit=8192"/' etc/default/grub
sed -i 's/^\([[:space:]]*linux[[:space:]].*\)$/\1 audit_backlog_limit=8192/' boot/grub2/grub.cfg
