#!/usr/bin/env bash
# Trap: accounts whose primary groups were never created (systemd-journal-remote 998, ec2-instance-connect 995)
# and chrony's group deleted.
sed -i '/^chrony:/d' etc/group
