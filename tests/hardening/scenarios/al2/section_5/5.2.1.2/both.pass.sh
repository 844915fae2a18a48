#!/usr/bin/env bash
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="audit=1"/' etc/default/grub
sed -i '/^\tlinux16 /s/$/ audit=1/' boot/grub2/grub.cfg
