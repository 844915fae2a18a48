#!/usr/bin/env bash
printf 'install udf /bin/false\nblacklist udf\n' > etc/modprobe.d/udf.conf
