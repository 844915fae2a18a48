#!/usr/bin/env bash
chgrp 10 etc/audit/auditd.conf
