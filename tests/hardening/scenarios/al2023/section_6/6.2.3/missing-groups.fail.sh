#!/usr/bin/env bash
# Trap: accounts whose primary groups were never created (systemd-journal-remote 998, ec2-instance-connect 995)
# and chrony's group deleted.
sed -i -e '/^chrony:/d' -e '/^systemd-journal-remote:/d' -e '/^ec2-instance-connect:/d' etc/group
