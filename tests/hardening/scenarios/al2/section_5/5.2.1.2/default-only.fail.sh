#!/usr/bin/env bash
# Trap: /etc/default/grub has it, but grub.cfg (what boots) was not regenerated.
sed -i 's/^GRUB_CMDLINE_LINUX=""/GRUB_CMDLINE_LINUX="audit=1"/' etc/default/grub
