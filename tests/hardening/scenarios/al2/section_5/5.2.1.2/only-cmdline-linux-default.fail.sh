#!/usr/bin/env bash
# Trap (issue 18): grub.cfg boots with audit=1, but /etc/default/grub has only GRUB_CMDLINE_LINUX_DEFAULT, as on
# Amazon Linux 2: the next grub2-mkconfig (a kernel update) rebuilds grub.cfg without it. Apply adds
# GRUB_CMDLINE_LINUX="audit=1".
sed -i '/^GRUB_CMDLINE_LINUX=/d' etc/default/grub
sed -i '/^\tlinux16 /s/$/ audit=1/' boot/grub2/grub.cfg
