#!/usr/bin/env bash
# The stock /etc/issue prints \S, \r, \m.
true
