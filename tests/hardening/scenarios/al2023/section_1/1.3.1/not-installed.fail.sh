#!/usr/bin/env bash
# apply: deferred
# The EKS AMI does not ship AIDE.
true
