#!/usr/bin/env bash
rm etc/motd
printf 'Authorized use only.\n' > etc/motd
