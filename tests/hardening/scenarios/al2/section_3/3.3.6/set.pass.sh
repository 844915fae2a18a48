#!/usr/bin/env bash
printf 'net.ipv4.conf.all.secure_redirects = 0\nnet.ipv4.conf.default.secure_redirects = 0\n' > etc/sysctl.d/60-cis-net.conf
