#!/usr/bin/env bash
# /etc/profile and /etc/bashrc set 002/022 (uid > 199 branch).
true
