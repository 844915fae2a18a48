#!/usr/bin/env bash
# The stock AL2 sshd_config sets UsePAM yes.
true
