#!/usr/bin/env bash
# Trap: 0640 root:root looks restrictive, but the benchmark allows no access at all.
chmod 0000 etc/gshadow
chmod 0640 etc/gshadow
