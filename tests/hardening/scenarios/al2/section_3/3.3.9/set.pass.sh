#!/usr/bin/env bash
printf 'net.ipv4.conf.all.log_martians = 1\nnet.ipv4.conf.default.log_martians = 1\n' > etc/sysctl.d/60-cis-net.conf
