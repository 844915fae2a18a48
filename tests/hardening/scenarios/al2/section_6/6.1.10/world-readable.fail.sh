#!/usr/bin/env bash
# Trap: the old password hashes pam_pwhistory keeps are readable by everyone.
: > etc/security/opasswd
chmod 0600 etc/security/opasswd
chmod 0644 etc/security/opasswd
