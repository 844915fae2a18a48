#!/usr/bin/env bash
chmod 0775 usr/sbin/auditctl
