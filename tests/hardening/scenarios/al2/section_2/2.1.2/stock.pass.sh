#!/usr/bin/env bash
grep -q '^server 169.254.169.123' etc/chrony.conf
