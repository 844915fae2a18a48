#!/usr/bin/env bash
# expect: excepted
# EKS keeps ACCEPT policies; the audit still reports them.
true
