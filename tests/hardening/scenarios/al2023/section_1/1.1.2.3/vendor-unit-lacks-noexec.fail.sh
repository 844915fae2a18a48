#!/usr/bin/env bash
# The stock tmp.mount has nosuid,nodev but not noexec.
true
