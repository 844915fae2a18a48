#!/usr/bin/env bash
# Stock EKS node: chrony installed, chronyd.service enabled.
true
