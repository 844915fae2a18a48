#!/usr/bin/env bash
# Stock EKS node: no MTA installed.
true
