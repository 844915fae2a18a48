#!/usr/bin/env bash
printf 'install udf /bin/true\nblacklist udf\n' > etc/modprobe.d/udf.conf
