#!/usr/bin/env bash
grep -q '^authpriv\.\*' etc/rsyslog.conf
