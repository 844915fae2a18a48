#!/usr/bin/env bash
# Trap: GRUB_CMDLINE_LINUX has audit=1, but GRUB_CMDLINE_LINUX_DEFAULT's audit=0 follows it on every kernel line
# grub2-mkconfig writes, and the kernel takes the last value. Apply removes audit=0 from the DEFAULT line.
sed -i 's/^options \(.*\)$/options \1 audit=1/' boot/loader/entries/*.conf
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="audit=1"/' etc/default/grub
sed -i 's/^\(GRUB_CMDLINE_LINUX_DEFAULT=".*\)"$/\1 audit=0"/' etc/default/grub
grep -q 'quiet audit=0"$' etc/default/grub
