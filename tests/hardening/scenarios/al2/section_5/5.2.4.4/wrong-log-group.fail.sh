#!/usr/bin/env bash
sed -i 's/^log_group = root/log_group = wheel/' etc/audit/auditd.conf
