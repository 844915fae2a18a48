#!/usr/bin/env bash
# apply: deferred
# iptables-services is not installed (no iptables.service under the root) and the EKS iptables-restore.service is
# not enabled: nothing restores the rules at boot. Under --root the unit cannot be enabled: deferred to the
# running system (which installs iptables-services first), and the run goes on.
rm usr/lib/systemd/system/iptables.service etc/systemd/system/multi-user.target.wants/iptables-restore.service
