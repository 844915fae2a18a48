#!/usr/bin/env bash
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="audit_backlog_limit=16384"/' etc/default/grub
sed -i '/^\tlinux16 /s/$/ audit_backlog_limit=16384/' boot/grub2/grub.cfg
