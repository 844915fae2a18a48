#!/usr/bin/env bash
printf 'OPTIONS="-u chrony"\n' > etc/sysconfig/chronyd
