#!/usr/bin/env bash
# Stock EKS node: cronie installed, crond.service enabled.
true
