#!/usr/bin/env bash
# expect: excepted
# ec2-user's NOPASSWD rule (cloud-init) is kept: see exceptions.yaml.
true
