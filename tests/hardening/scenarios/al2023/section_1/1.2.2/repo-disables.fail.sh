#!/usr/bin/env bash
# Trap: one repository turns signature checks off.
printf '[kubernetes]\nname=k8s\nbaseurl=https://example.invalid/\ngpgcheck=0\n' > etc/yum.repos.d/extra.repo
