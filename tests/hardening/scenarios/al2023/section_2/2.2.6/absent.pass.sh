#!/usr/bin/env bash
# Stock EKS node: vsftpd is not installed.
true
