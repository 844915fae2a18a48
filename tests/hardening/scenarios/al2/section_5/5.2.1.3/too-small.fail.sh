#!/usr/bin/env bash
# Trap: the argument is set, but below 8192.
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="audit_backlog_limit=1024"/' etc/default/grub
sed -i '/^\tlinux16 /s/$/ audit_backlog_limit=1024/' boot/grub2/grub.cfg
