#!/usr/bin/env bash
# Stock EKS node: bind is not installed.
true
