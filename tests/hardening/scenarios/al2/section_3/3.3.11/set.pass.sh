#!/usr/bin/env bash
printf 'net.ipv6.conf.all.accept_ra = 0\nnet.ipv6.conf.default.accept_ra = 0\n' > etc/sysctl.d/60-cis-net.conf
