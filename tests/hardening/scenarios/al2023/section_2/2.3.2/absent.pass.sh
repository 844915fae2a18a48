#!/usr/bin/env bash
# Stock EKS node: openldap-clients is not installed.
true
