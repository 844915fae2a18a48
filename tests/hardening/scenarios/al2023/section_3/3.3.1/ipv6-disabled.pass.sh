#!/usr/bin/env bash
# With IPv6 off on the kernel command line only the IPv4 keys apply.
sed -i 's/^options .*/& ipv6.disable=1/' boot/loader/entries/*.conf
printf 'net.ipv4.conf.all.accept_source_route = 0\nnet.ipv4.conf.default.accept_source_route = 0\n' > etc/sysctl.d/60-cis-net.conf
