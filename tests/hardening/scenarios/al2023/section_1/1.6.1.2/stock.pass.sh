#!/usr/bin/env bash
# selinux=1 is fine.
true
