#!/usr/bin/env bash
# A table in the configuration is not loaded when the service is off.
printf 'table inet filter {\n}\n' >> etc/sysconfig/nftables.conf
