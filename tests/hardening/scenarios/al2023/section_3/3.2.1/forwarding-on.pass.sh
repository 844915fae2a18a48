#!/usr/bin/env bash
# expect: excepted
# EKS needs forwarding: excepted, with the evidence.
true
