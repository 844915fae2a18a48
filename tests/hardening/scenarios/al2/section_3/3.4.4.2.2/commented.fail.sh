#!/usr/bin/env bash
# Trap: the rules are there but commented out.
printf '%s\n' \
  '*filter' \
  ':INPUT ACCEPT [0:0]' \
  ':FORWARD ACCEPT [0:0]' \
  ':OUTPUT ACCEPT [0:0]' \
  '-A INPUT -i lo -j ACCEPT' \
  '-A INPUT -s 127.0.0.0/8 -j DROP' \
  '-A OUTPUT -o lo -j ACCEPT' \
  '# -A OUTPUT -p tcp -m state --state NEW,ESTABLISHED -j ACCEPT' \
  '# -A OUTPUT -p udp -m state --state NEW,ESTABLISHED -j ACCEPT' \
  '# -A OUTPUT -p icmp -m state --state NEW,ESTABLISHED -j ACCEPT' \
  '# -A INPUT -p tcp -m state --state ESTABLISHED -j ACCEPT' \
  '# -A INPUT -p udp -m state --state ESTABLISHED -j ACCEPT' \
  '# -A INPUT -p icmp -m state --state ESTABLISHED -j ACCEPT' \
  '-A INPUT -p tcp -m tcp --dport 10250 -j ACCEPT' \
  'COMMIT' > etc/sysconfig/iptables
