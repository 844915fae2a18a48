#!/usr/bin/env bash
# The group of ec2-user was removed from /etc/group (and /etc/gshadow).
sed -i '/^ec2-user:/d' etc/group etc/gshadow
