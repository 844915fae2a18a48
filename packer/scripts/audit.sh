#!/bin/bash
# Run our CIS audit and keep its JSON report for download. A failing control makes the audit exit 1, and a
# check that could not run exit 3 (that control is `fail` in the report, with the reason); both are the gate's
# business (it runs locally with both reports), so only a usage error or a missing or empty report fails here.
set -euo pipefail
: "${WORK_DIR:?WORK_DIR is required}" "${PHASE:?PHASE is required (before or after)}" "${BUILD_USER:?BUILD_USER is required}"

report="$WORK_DIR/audit-$PHASE.json"
status=0
bash "$WORK_DIR/cis-harden.sh" audit --json >"$report" || status=$?
if [[ $status -eq 2 || $status -gt 3 || ! -s $report ]]; then
  echo "audit ($PHASE): cis-harden.sh audit failed with status $status and no usable report" >&2
  exit 1
fi
chown "$BUILD_USER" "$report"
chmod 0600 "$report"
echo "audit ($PHASE): report written to $report (audit status $status)"
