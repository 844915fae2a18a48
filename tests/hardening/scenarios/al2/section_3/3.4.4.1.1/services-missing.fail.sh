#!/usr/bin/env bash
# apply: deferred
# iptables is there, iptables-services (the iptables and ip6tables units) is not.
rm usr/lib/systemd/system/iptables.service usr/lib/systemd/system/ip6tables.service
