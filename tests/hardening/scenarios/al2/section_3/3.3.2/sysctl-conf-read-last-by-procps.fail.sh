#!/usr/bin/env bash
# Trap (the AL2 case of issue 18): 99-zz-redirects.conf sorts after 99-sysctl.conf, so systemd-sysctl applies 0
# at boot, but procps `sysctl --system` (and `sysctl -p`) reads /etc/sysctl.conf last and applies 1.
printf 'net.ipv4.conf.all.send_redirects = 0\nnet.ipv4.conf.default.send_redirects = 0\n' > etc/sysctl.d/99-zz-redirects.conf
printf 'net.ipv4.conf.all.send_redirects = 1\n' >> etc/sysctl.conf
