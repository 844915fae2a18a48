#!/usr/bin/env bash
printf '@@define DBDIR /var/lib/aide\ndatabase_in=file:@@{DBDIR}/aide.db.gz\nCONTENT_EX = sha512+ftype+p+u+g+n+acl+selinux+xattrs\n/boot/   CONTENT_EX\n/etc/    CONTENT_EX\n' > etc/aide.conf
