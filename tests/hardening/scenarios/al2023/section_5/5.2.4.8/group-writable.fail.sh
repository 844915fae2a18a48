#!/usr/bin/env bash
chmod 775 usr/sbin/auditctl
