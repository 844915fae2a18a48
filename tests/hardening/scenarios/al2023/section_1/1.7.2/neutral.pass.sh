#!/usr/bin/env bash
printf 'Authorized use only.\n' > etc/issue
