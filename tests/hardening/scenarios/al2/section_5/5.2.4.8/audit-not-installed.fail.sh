#!/usr/bin/env bash
# apply: deferred
# No audit tools at all (the audit package is not installed): the control fails with the reason; apply waits for
# 5.2.1.1 to install audit on the running system instead of stopping the run.
rm usr/sbin/auditctl usr/sbin/auditd usr/sbin/augenrules usr/sbin/aureport usr/sbin/ausearch usr/sbin/autrace
