#!/usr/bin/env bash
printf 'OPTIONS="-u root"\n' > etc/sysconfig/chronyd
