#!/usr/bin/env bash
# The stock motd names Amazon Linux 2023.
true
