#!/usr/bin/env bash
# expect: not-applicable
rm etc/ssh/ssh_host_*
