#!/usr/bin/env bash
# Trap: no escapes, but the platform is named in plain text.
printf 'Amazon Linux 2 node - authorized use only\n' > etc/issue
