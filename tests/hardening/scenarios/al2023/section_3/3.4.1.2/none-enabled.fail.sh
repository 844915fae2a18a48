#!/usr/bin/env bash
# nftables is installed but its service is not enabled.
true
