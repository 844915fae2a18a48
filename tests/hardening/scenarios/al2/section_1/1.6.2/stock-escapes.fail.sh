#!/usr/bin/env bash
# Stock AL2: \\S and \\r print the OS and kernel.
grep -q 'Kernel' etc/issue
