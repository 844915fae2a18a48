#!/usr/bin/env bash
# Trap: /sbin is a directory of its own (not the usual link to usr/sbin) and the audit tools are in /usr/sbin
# only: they are still the tools to check, and one is group-writable.
rm sbin
mkdir sbin
chmod 0775 usr/sbin/auditctl
