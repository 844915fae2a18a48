#!/usr/bin/env bash
# With IPv6 off on the kernel command line only the IPv4 keys apply.
sed -i 's/^GRUB_CMDLINE_LINUX="/&ipv6.disable=1 /' etc/default/grub
printf 'net.ipv4.conf.all.accept_redirects = 0\nnet.ipv4.conf.default.accept_redirects = 0\n' > etc/sysctl.d/60-cis-net.conf
