#!/usr/bin/env bash
# expect: excepted
# root is locked (!!) on a stock node; EKS keeps it that way.
true
