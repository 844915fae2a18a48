#!/usr/bin/env bash
# Trap: TCP is covered, UDP (DNS, NTP) and ICMP are not.
printf '%s\n' \
  '*filter' \
  ':INPUT ACCEPT [0:0]' \
  ':FORWARD ACCEPT [0:0]' \
  ':OUTPUT ACCEPT [0:0]' \
  '-A INPUT -i lo -j ACCEPT' \
  '-A INPUT -s ::1/128 -j DROP' \
  '-A OUTPUT -o lo -j ACCEPT' \
  '-A OUTPUT -p tcp -m state --state NEW,ESTABLISHED -j ACCEPT' \
  '-A INPUT -p tcp -m state --state ESTABLISHED -j ACCEPT' \
  '-A INPUT -p tcp -m tcp --dport 10250 -j ACCEPT' \
  'COMMIT' > etc/sysconfig/ip6tables
mkdir -p etc/systemd/system/basic.target.wants etc/systemd/system/ip6tables.service.d
ln -s /usr/lib/systemd/system/ip6tables.service etc/systemd/system/basic.target.wants/ip6tables.service
