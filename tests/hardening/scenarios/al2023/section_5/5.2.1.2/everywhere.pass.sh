#!/usr/bin/env bash
sed -i 's/^options \(.*\)$/options \1 audit=1/' boot/loader/entries/*.conf
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="audit=1"/' etc/default/grub
sed -i 's/^\([[:space:]]*linux[[:space:]].*\)$/\1 audit=1/' boot/grub2/grub.cfg
