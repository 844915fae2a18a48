#!/usr/bin/env bash
# expect: excepted
# Excepted on EKS: kubelet, containerd and the SSM agent run unconfined.
true
