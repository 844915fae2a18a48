#!/usr/bin/env bash
printf '@@define DBDIR /var/lib/aide\ndatabase_in=file:@@{DBDIR}/aide.db.gz\nCONTENT_EX = sha512+ftype+p+u+g+n+acl+selinux+xattrs\n/boot/   CONTENT_EX\n/etc/    CONTENT_EX\n' > etc/aide.conf
for t in auditctl auditd ausearch aureport autrace augenrules; do printf '/usr/sbin/%s p+i+n+u+g+s+b+acl+xattrs+sha512\n' "$t" >> etc/aide.conf; done
