#!/bin/bash
# Method 1: apply our CIS remediation to the EKS-optimized AMI. Controls that still fail afterwards
# (apply exits 1) are judged by the gate after the reboot; anything else is a broken run.
set -euo pipefail
: "${WORK_DIR:?WORK_DIR is required}"

status=0
bash "$WORK_DIR/cis-harden.sh" apply || status=$?
case $status in
  0) echo "harden: every applied control passes" ;;
  1) echo "harden: some controls still fail; the audit after reboot decides" >&2 ;;
  *) echo "harden: cis-harden.sh apply stopped with status $status" >&2; exit "$status" ;;
esac
