#!/usr/bin/env bash
printf 'LEGACY\n' > etc/crypto-policies/config
