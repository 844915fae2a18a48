#!/usr/bin/env bash
mkdir -p etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/nftables.service etc/systemd/system/multi-user.target.wants/nftables.service
printf 'table inet filter {\n  chain input {\n    type filter hook input priority 0; policy accept;\n  }\n}\n' >> etc/sysconfig/nftables.conf
