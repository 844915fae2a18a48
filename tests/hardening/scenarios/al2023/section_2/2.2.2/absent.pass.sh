#!/usr/bin/env bash
# Stock EKS node: avahi is not installed.
true
