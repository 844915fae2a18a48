#!/usr/bin/env bash
# Trap: the stock AL2 sshd_config sets GSSAPIAuthentication yes.
true
