#!/usr/bin/env bash
printf 'net.ipv4.conf.all.send_redirects = 0\nnet.ipv4.conf.default.send_redirects = 0\n' > etc/sysctl.d/60-cis-net.conf
