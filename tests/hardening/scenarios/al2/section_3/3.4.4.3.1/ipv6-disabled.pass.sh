#!/usr/bin/env bash
# expect: not-applicable
# IPv6 is off on the kernel command line: no ip6tables rules are needed.
sed -i 's/^GRUB_CMDLINE_LINUX="/&ipv6.disable=1 /' etc/default/grub
