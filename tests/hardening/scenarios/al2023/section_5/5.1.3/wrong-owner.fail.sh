#!/usr/bin/env bash
chmod 640 var/log/dnf.log
chown 1000:1000 var/log/cloud-init.log
chmod 666 var/log/wtmp
