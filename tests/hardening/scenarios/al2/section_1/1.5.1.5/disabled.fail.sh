#!/usr/bin/env bash
# apply: deferred
# Amazon Linux 2 as AWS ships it outside the EKS AMI: SELinux disabled. Moving to enforcing needs a full relabel
# at the next boot: apply configures enforcing, schedules /.autorelabel and defers the rest (it never aborts).
sed -i 's/^SELINUX=permissive/SELINUX=disabled/' etc/selinux/config
