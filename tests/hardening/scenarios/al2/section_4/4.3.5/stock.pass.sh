#!/usr/bin/env bash
# NOPASSWD for ec2-user is not !authenticate.
true
