#!/usr/bin/env bash
chgrp 4 etc/audit/auditd.conf
