#!/usr/bin/env bash
# Trap: blacklisting alone still lets `modprobe udf` load it.
printf 'blacklist udf\n' > etc/modprobe.d/udf.conf
