#!/usr/bin/env bash
# selinux=0 in GRUB_CMDLINE_LINUX reaches every kernel grub2-mkconfig adds.
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="selinux=0"/' etc/default/grub
