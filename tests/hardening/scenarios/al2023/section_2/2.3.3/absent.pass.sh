#!/usr/bin/env bash
# Stock EKS node: ftp is not installed.
true
