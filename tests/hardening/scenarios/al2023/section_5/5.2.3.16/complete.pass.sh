#!/usr/bin/env bash
# shellcheck source=/dev/null
. "$(dirname "$0")/../helpers.sh"
rules 50-perm_chng.rules "-a always,exit -F path=/usr/bin/setfacl -F perm=x -F auid>=1000 -F auid!=-1 -k perm_chng"
