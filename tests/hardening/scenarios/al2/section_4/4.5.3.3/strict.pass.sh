#!/usr/bin/env bash
sed -i 's/umask 00*22/umask 027/; s/umask 002/umask 027/' etc/profile etc/bashrc
sed -i 's/^UMASK.*/UMASK\t\t027/' etc/login.defs
