#!/usr/bin/env bash
# The node audit's container: audit the host (mounted read-only at HOST_ROOT) with the node group's rendered
# cis-harden.sh once at start, then whenever SCHEDULE (five cron fields, UTC) matches, and print each result
# as one line on stdout, which the collector reads with `kubectl logs`:
#   hardened-eks-node-audit node=<node> started=<time> finished=<time> exit=<status> document=<audit JSON>
#   hardened-eks-node-audit node=<node> started=<time> finished=<time> exit=<status> error=<why>
# Environment: NODE_NAME, SCHEDULE, HOST_ROOT (/host), AUDIT_DIR (/audit: cis-harden.sh or cis-harden.sh.gz),
# TMPDIR (a writable scratch directory), NODE_AUDIT_ONCE=1 to audit once and exit (tests).
# Nothing here writes outside TMPDIR; the audit itself only reads under --root.
set -uo pipefail
export LC_ALL=C

PREFIX=hardened-eks-node-audit
HOST_ROOT=${HOST_ROOT:-/host}
AUDIT_DIR=${AUDIT_DIR:-/audit}
TMPDIR=${TMPDIR:-/tmp}
export TMPDIR

# he_cron_item_match VALUE ITEM MIN MAX: does VALUE match one item (`*`, `n`, `a-b`, with an optional `/step`)?
he_cron_item_match() {
  local value=$1 item=$2 low=$3 high=$4 range step=1 a b
  range=$item
  if [[ $item == */* ]]; then step=${item#*/}; range=${item%/*}; fi
  if [[ $range == '*' ]]; then a=$low; b=$high
  elif [[ $range == *-* ]]; then a=${range%-*}; b=${range#*-}
  else a=$range; b=$range
  fi
  ((10#$value >= 10#$a && 10#$value <= 10#$b && (10#$value - 10#$a) % 10#$step == 0))
}

# he_cron_field_match VALUE FIELD MIN MAX: does VALUE match any comma-separated item of FIELD?
he_cron_field_match() {
  local value=$1 field=$2 low=$3 high=$4 item
  local -a items
  IFS=, read -r -a items <<<"$field"
  for item in "${items[@]}"; do
    he_cron_item_match "$value" "$item" "$low" "$high" && return 0
  done
  return 1
}

# he_cron_valid EXPR: five fields of the grammar config validation accepts (hardened_eks/node_audit/schedule.py).
he_cron_valid() {
  local -a fields
  local i item a b lows=(0 0 1 1 0) highs=(59 23 31 12 7)
  read -r -a fields <<<"$1"
  [[ ${#fields[@]} -eq 5 ]] || return 1
  for i in 0 1 2 3 4; do
    local -a items
    IFS=, read -r -a items <<<"${fields[$i]}"
    [[ ${fields[$i]} != *, && ${fields[$i]} != ,* && ${fields[$i]} != *,,* ]] || return 1
    for item in "${items[@]}"; do
      [[ $item =~ ^(\*|([0-9]+)(-([0-9]+))?)(/([0-9]+))?$ ]] || return 1
      [[ -z ${BASH_REMATCH[6]} ]] || ((10#${BASH_REMATCH[6]} > 0)) || return 1
      [[ ${BASH_REMATCH[1]} == '*' ]] && continue
      [[ -n ${BASH_REMATCH[4]} || -z ${BASH_REMATCH[6]} ]] || return 1
      a=$((10#${BASH_REMATCH[2]})); b=$((10#${BASH_REMATCH[4]:-${BASH_REMATCH[2]}}))
      ((a >= lows[i] && b <= highs[i] && a <= b)) || return 1
    done
  done
}

# he_cron_match EXPR "MIN HOUR DOM MON DOW": does the time match? DOW 0-6 from Sunday; 7 is Sunday too. As in
# cron, when both day fields are restricted (neither starts with *), a day matching either one matches.
he_cron_match() {
  local fm fh fdom fmon fdow m h dom mon dow dom_ok=1 dow_ok=1
  read -r fm fh fdom fmon fdow <<<"$1"
  read -r m h dom mon dow <<<"$2"
  he_cron_field_match "$m" "$fm" 0 59 || return 1
  he_cron_field_match "$h" "$fh" 0 23 || return 1
  he_cron_field_match "$mon" "$fmon" 1 12 || return 1
  he_cron_field_match "$dom" "$fdom" 1 31 || dom_ok=0
  if ! he_cron_field_match "$dow" "$fdow" 0 7; then
    dow_ok=0
    if ((10#$dow == 0)) && he_cron_field_match 7 "$fdow" 0 7; then dow_ok=1; fi
  fi
  if [[ $fdom == '*'* || $fdow == '*'* ]]; then
    ((dom_ok && dow_ok))
  else
    ((dom_ok || dow_ok))
  fi
}

he_now() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# he_script: the rendered audit script, from the ConfigMap (compressed when the plain text would not fit).
he_script() {
  if [[ -f $AUDIT_DIR/cis-harden.sh ]]; then
    printf '%s\n' "$AUDIT_DIR/cis-harden.sh"
  elif [[ -f $AUDIT_DIR/cis-harden.sh.gz ]]; then
    gzip -dc "$AUDIT_DIR/cis-harden.sh.gz" >"$TMPDIR/cis-harden.sh" || return 1
    printf '%s\n' "$TMPDIR/cis-harden.sh"
  else
    return 1
  fi
}

he_node_audit() {
  local started finished script doc rc err why
  started=$(he_now)
  err="$TMPDIR/audit.err"
  if ! script=$(he_script); then
    printf '%s node=%s started=%s finished=%s exit=3 error=%s\n' "$PREFIX" "${NODE_NAME:-unknown}" "$started" \
      "$(he_now)" "no cis-harden.sh or cis-harden.sh.gz in $AUDIT_DIR"
    return 0
  fi
  doc=$(bash "$script" audit --root "$HOST_ROOT" --json 2>"$err")
  rc=$?
  finished=$(he_now)
  tail -n 20 "$err" >&2
  doc=${doc//$'\n'/}
  if [[ $doc == '{'*'}' ]]; then
    printf '%s node=%s started=%s finished=%s exit=%s document=%s\n' "$PREFIX" "${NODE_NAME:-unknown}" \
      "$started" "$finished" "$rc" "$doc"
  else
    why=$(tail -n 1 "$err")
    printf '%s node=%s started=%s finished=%s exit=%s error=%s\n' "$PREFIX" "${NODE_NAME:-unknown}" "$started" \
      "$finished" "$rc" "${why:-the audit printed no JSON document}"
  fi
  rm -f -- "$err"
}

he_node_audit_main() {
  local schedule=${SCHEDULE:-0 0 * * *} now
  if ! he_cron_valid "$schedule"; then
    printf "%s: SCHEDULE '%s' is not a five-field cron expression\n" "$PREFIX" "$schedule" >&2
    exit 2
  fi
  # As PID 1, bash ignores SIGTERM unless it is trapped; sleeping in the background lets the trap run at once,
  # so a deleted pod ends now instead of at its grace period.
  trap 'exit 0' TERM INT
  he_node_audit
  [[ ${NODE_AUDIT_ONCE:-0} == 1 ]] && return 0
  while :; do
    now=$(date -u +%s)
    sleep $((60 - now % 60)) &
    wait $!
    if he_cron_match "$schedule" "$(date -u '+%M %H %d %m %w')"; then he_node_audit; fi
  done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  he_node_audit_main
fi
