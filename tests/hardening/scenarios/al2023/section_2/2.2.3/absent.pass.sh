#!/usr/bin/env bash
# Stock EKS node: cups is not installed.
true
