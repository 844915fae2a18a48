# shellcheck shell=bash
# shellcheck disable=SC2034  # globals are read by the other parts of the rendered script
# Runtime of a rendered hardening script: arguments, the control loop, logging and the JSON report.
# The renderer defines the profile (HE_PROFILE_* and the HE_CTL_* arrays) before this file.
#
# Contract for control functions `he_ctl_<id>() { ...; }` called with one argument, the mode:
#   audit: read the effective configuration and call exactly one of he_pass / he_fail / he_na / he_deferred.
#   apply: change the system (or the root under --root) so that audit passes; call he_defer when a step
#          needs a running system.
# Controls run in a subshell under errexit (he_run_from): a failing command ends that control only. It is
# reported (audit: `fail`, "cannot judge"; apply: `error`, "remediation failed") with the command's message, and
# the run goes on to the summary. Exit status: 0 every control passes, 1 a control fails or is deferred, 2 usage
# (bad arguments, a missing site value), 3 the tool could not do its work (a check or remediation command
# failed, a write failed).

HE_ROOT=""          # "" on the running system, else the absolute root directory (no trailing slash)
HE_LIVE=1           # 1 when hardening the running system
HE_MODE=""
HE_JSON=0
HE_ONLY=" "
HE_DRY_RUN=0        # apply --dry-run: report what apply would change, change nothing
HE_ANY_OS=0         # apply --any-os: skip the /etc/os-release check on the running system
HE_STATUS=""
HE_DETAIL=""
HE_DEFER_REASON=""
HE_CURRENT=""
HE_TMP=""
declare -A HE_VOLUMES=()
# Site values some remediations need (apply --set NAME=VALUE). Controls declare the names they read, with a
# description and the pattern a value must match, in HE_SETTING_DOC / HE_SETTING_PATTERN.
declare -A HE_SETTINGS=() HE_SETTING_DOC=() HE_SETTING_PATTERN=()
declare -a HE_JSON_CONTROLS=()
declare -A HE_COUNTS=([pass]=0 [fail]=0 [manual]=0 [excepted]=0 [excluded]=0 [not-applicable]=0 [deferred]=0
  [fixed]=0 [error]=0 [would-fix]=0)
HE_ERRORS=0         # checks or remediations whose commands failed (exit status 3)
HE_USAGE_ERRORS=0   # controls stopped by a usage error, such as a missing --set value (exit status 2)

he_usage() {
  cat <<EOF
usage: ${0##*/} audit [--root DIR] [--json] [--only ID ...]
       ${0##*/} apply [--root DIR] [--dry-run] [--any-os] [--only ID ...] [--volume MOUNTPOINT=DEVICE ...]
             [--set NAME=VALUE ...]

${HE_PROFILE_NAME} ${HE_PROFILE_VERSION}, level ${HE_PROFILE_LEVEL}, ip family ${HE_PROFILE_IP_FAMILY}.
  audit    report every control: pass, fail, manual, excepted, excluded, not-applicable, deferred.
  apply    remediate every failing control (idempotent).
  Exit status: 0 every control passes; 1 a control fails or is deferred; 2 usage (bad arguments, a missing
  --set value); 3 the tool could not do its work (a command of a check or remediation failed). A control
  that cannot be judged or fixed is reported with the reason and the run always reaches the summary.
  --root DIR          work on an offline root file system; steps that need a running system are deferred.
  --json              audit only: print one JSON document instead of text lines.
  --dry-run           apply only: print what apply would change (status would-fix) and change nothing.
  --any-os            apply only: run on a system whose /etc/os-release is not the benchmark's OS.
  --only ID           restrict to the given control id (repeatable).
  --volume MP=DEVICE  block device to format and mount at MP for a separate-partition control.
  --set NAME=VALUE    a site value a remediation needs:
$(for n in "${!HE_SETTING_DOC[@]}"; do printf '                        %s: %s\n' "$n" "${HE_SETTING_DOC[$n]}"; done | sort)
EOF
}

he_die() {
  printf 'cis-harden: %s\n' "$*" >&2
  exit 2
}

# he_usage_error MESSAGE: a control needs something only the caller can give (a --set value): the control is
# reported as an error and the run ends with exit status 2 after the summary.
he_usage_error() {
  [[ -n $HE_TMP ]] && : >"$HE_TMP/usage-error"
  he_die "$@"
}

he_set_root() {
  local dir=$1
  [[ -d $dir ]] || he_die "--root: '$dir' is not a directory"
  dir=$(cd "$dir" && pwd -P)
  if [[ $dir == / ]]; then
    HE_ROOT=""
    HE_LIVE=1
  else
    HE_ROOT=$dir
    HE_LIVE=0
  fi
}

he_parse_args() {
  [[ $# -ge 1 ]] || { he_usage >&2; exit 2; }
  case $1 in
    audit | apply) HE_MODE=$1 ;;
    -h | --help | help) he_usage; exit 0 ;;
    *) he_usage >&2; he_die "unknown command '$1' (allowed: audit, apply)" ;;
  esac
  shift
  while [[ $# -gt 0 ]]; do
    case $1 in
      --root) [[ $# -ge 2 ]] || he_die "--root needs a directory"; he_set_root "$2"; shift 2 ;;
      --root=*) he_set_root "${1#--root=}"; shift ;;
      --json) [[ $HE_MODE == audit ]] || he_die "--json is only valid with audit"; HE_JSON=1; shift ;;
      --dry-run) [[ $HE_MODE == apply ]] || he_die "--dry-run is only valid with apply"; HE_DRY_RUN=1; shift ;;
      --any-os) [[ $HE_MODE == apply ]] || he_die "--any-os is only valid with apply"; HE_ANY_OS=1; shift ;;
      --only)
        [[ $# -ge 2 ]] || he_die "--only needs a control id"
        [[ -n ${HE_CTL_TITLE[$2]+x} ]] || he_die "--only: unknown control id '$2'"
        HE_ONLY+="$2 "; shift 2 ;;
      --volume)
        [[ $# -ge 2 && $2 == /*=/* ]] || he_die "--volume needs MOUNTPOINT=DEVICE, e.g. /var/log=/dev/sdf"
        HE_VOLUMES[${2%%=*}]=${2#*=}; shift 2 ;;
      --set)
        [[ $# -ge 2 && $2 == ?*=* ]] || he_die "--set needs NAME=VALUE, e.g. remote-log-host=logs.example.internal:514"
        [[ -n ${HE_SETTING_DOC[${2%%=*}]+x} ]] ||
          he_die "--set: unknown setting '${2%%=*}' (allowed: $(printf '%s\n' "${!HE_SETTING_DOC[@]}" | sort | xargs))"
        [[ ${2#*=} =~ ${HE_SETTING_PATTERN[${2%%=*}]} ]] ||
          he_die "--set ${2%%=*}: '${2#*=}' is not valid (${HE_SETTING_DOC[${2%%=*}]})"
        HE_SETTINGS[${2%%=*}]=${2#*=}; shift 2 ;;
      *) he_die "unknown argument '$1'" ;;
    esac
  done
  if [[ $HE_MODE == apply && $HE_LIVE == 1 && $HE_ANY_OS == 0 ]]; then he_check_os; fi
  if [[ $HE_MODE == apply && $HE_LIVE == 1 && $EUID -ne 0 ]]; then
    he_die "apply on the running system must run as root"
  fi
}

# he_check_os: apply on the running system only where /etc/os-release names the benchmark's OS (a script for
# Amazon Linux 2 run on AL2023, or on a workstation by mistake, would change the wrong system).
he_check_os() {
  local want="" id="" version=""
  case $HE_PROFILE_BENCHMARK in
    al2023) want=2023 ;;
    al2) want=2 ;;
    *) return 0 ;;
  esac
  if [[ -r /etc/os-release ]]; then
    id=$(gawk -F= '$1 == "ID" { gsub(/["\047]/, "", $2); print $2 }' /etc/os-release)
    version=$(gawk -F= '$1 == "VERSION_ID" { gsub(/["\047]/, "", $2); print $2 }' /etc/os-release)
  fi
  [[ $id == amzn && $version == "$want" ]] && return 0
  he_die "apply: this script is for $HE_PROFILE_NAME (ID=amzn VERSION_ID=$want) but /etc/os-release says" \
    "ID=${id:-unset} VERSION_ID=${version:-unset}; nothing was changed (pass --any-os to apply it anyway)"
}

# ---- results reported by audits ---------------------------------------------------------------
he_pass() { HE_STATUS=pass; HE_DETAIL=$*; }
he_fail() { HE_STATUS=fail; HE_DETAIL=$*; }
he_na() { HE_STATUS=not-applicable; HE_DETAIL=$*; }
# Configuration is right but only a running system makes it effective (for example a relabel).
he_deferred() { HE_STATUS=deferred; HE_DETAIL=$*; }
# Remediation step that needs a running system.
he_defer() { HE_DEFER_REASON=$*; }

he_live() { [[ $HE_LIVE == 1 ]]; }
he_mode_is() { [[ $HE_MODE == "$1" ]]; }

# ---- output -----------------------------------------------------------------------------------
# he_json_str VAR TEXT: VAR becomes TEXT as a JSON string literal (control and non-ASCII bytes replaced).
he_json_str() {
  local s=$2
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=${s//[$'\x01'-$'\x1f'$'\x7f']/?}
  s=${s//[$'\x80'-$'\xff']/?}
  printf -v "$1" '"%s"' "$s"
}

he_record() {
  local id=$1 status=$2 detail=$3 reason=${4:-} verb=AUDIT
  local count_as=$status
  HE_COUNTS[$status]=$((HE_COUNTS[$status] + 1))
  if [[ $status == fixed ]]; then
    count_as=pass
    HE_COUNTS[pass]=$((HE_COUNTS[pass] + 1))
  fi
  detail=${detail//$'\n'/; }
  if [[ $HE_JSON == 1 ]]; then
    local j_id j_title j_status j_detail j_reason j_assess obj
    he_json_str j_id "$id"
    he_json_str j_title "${HE_CTL_TITLE[$id]}"
    he_json_str j_assess "${HE_CTL_ASSESSMENT[$id]}"
    he_json_str j_status "$count_as"
    he_json_str j_detail "$detail"
    obj="{\"id\": $j_id, \"title\": $j_title, \"level\": ${HE_CTL_LEVEL[$id]}, \"assessment\": $j_assess"
    obj+=", \"status\": $j_status, \"detail\": $j_detail"
    if [[ -n $reason ]]; then
      he_json_str j_reason "$reason"
      obj+=", \"reason\": $j_reason"
    fi
    if [[ -n ${HE_CTL_EXCEPTION[$id]:-} && $status == excepted ]]; then
      local j_exc j_comp
      he_json_str j_exc "${HE_CTL_EXCEPTION[$id]}"
      he_json_str j_comp "${HE_CTL_COMPENSATING[$id]}"
      obj+=", \"exception\": $j_exc, \"compensatingControl\": $j_comp"
    fi
    HE_JSON_CONTROLS+=("$obj}")
  else
    [[ $HE_MODE == apply ]] && verb=PATCH
    [[ -n $reason ]] && detail="${detail:+$detail; }reason: $reason"
    printf '%s | %s | %s | L%s | %s | %s\n' "$id" "$verb" "${HE_CTL_TITLE[$id]}" "${HE_CTL_LEVEL[$id]}" \
      "$status" "$detail"
  fi
}

he_print_json() {
  local j_root j_bench j_version j_ipf excluded="" id j first=1 body=""
  he_json_str j_root "${HE_ROOT:-/}"
  he_json_str j_bench "$HE_PROFILE_BENCHMARK"
  he_json_str j_version "$HE_PROFILE_VERSION"
  he_json_str j_ipf "$HE_PROFILE_IP_FAMILY"
  for id in "${HE_PROFILE_EXCLUDED[@]}"; do
    he_json_str j "$id"
    excluded+="${excluded:+, }$j"
  done
  for j in "${HE_JSON_CONTROLS[@]}"; do
    if [[ $first == 1 ]]; then body+=$'\n    '"$j"; first=0; else body+=$',\n    '"$j"; fi
  done
  printf '{\n  "schemaVersion": 1,\n  "kind": "audit",\n  "benchmark": %s,\n  "benchmarkVersion": %s,\n' \
    "$j_bench" "$j_version"
  printf '  "level": %s,\n  "ipFamily": %s,\n  "excluded": [%s],\n  "root": %s,\n' \
    "$HE_PROFILE_LEVEL" "$j_ipf" "$excluded" "$j_root"
  printf '  "profileDigest": "%s",\n' "$HE_PROFILE_DIGEST"
  printf '  "controls": [%s\n  ],\n' "$body"
  printf '  "summary": {"pass": %d, "fail": %d, "manual": %d, "excepted": %d, "excluded": %d, ' \
    "${HE_COUNTS[pass]}" "${HE_COUNTS[fail]}" "${HE_COUNTS[manual]}" "${HE_COUNTS[excepted]}" \
    "${HE_COUNTS[excluded]}"
  printf '"not-applicable": %d, "deferred": %d}\n}\n' "${HE_COUNTS[not-applicable]}" "${HE_COUNTS[deferred]}"
}

# ---- the control loop -------------------------------------------------------------------------
# The controls run in a subshell under errexit (he_run_from). A failing command (a file or unit that is not
# where the check expects it, a missing tool, a failed write) ends that subshell only: its EXIT trap saves the
# counts, the JSON objects, the caches and where it was (HE_AT, HE_PHASE), and he_main reports that control
# (`fail` "cannot judge" when a check failed, `error` "remediation failed" when a remediation did) and
# starts a new subshell at the next control. So the run always reaches the summary, with one fork per run.
HE_AT=0             # index in HE_RUN_IDS of the control being run
HE_PHASE=""         # audit (the first check), apply (the remediation), check (the check after it), excepted
HE_BEFORE=""        # the first check's evidence, while the remediation runs
declare -a HE_RUN_IDS=()
# Globals a control may change that later controls reuse (caches): kept across a resumed subshell.
HE_CARRY=(HE_FS_SCAN_KEY HE_FS_SCAN_DIR HE_FS_SCAN_ERRORS)

he_audit_control() {
  local id=$1
  HE_STATUS=""
  HE_DETAIL=""
  "${HE_CTL_FN[$id]}" audit
  if [[ -z $HE_STATUS ]]; then
    printf '%s: internal error: the audit reported no status\n' "$id" >&2
    return 3
  fi
}

he_run_control() {
  local id=$1
  HE_PHASE=audit
  case ${HE_CTL_DISPOSITION[$id]} in
    manual) he_record "$id" manual "manual assessment; not checked by this script" ;;
    unimplemented) he_record "$id" fail "not implemented by hardened-eks yet" ;;
    excluded) he_record "$id" excluded "" "${HE_CTL_REASON[$id]}" ;;
    excepted)
      HE_PHASE=excepted
      HE_DETAIL=""
      if [[ -n ${HE_CTL_FN[$id]} ]]; then
        he_audit_control "$id"
        HE_DETAIL="current state: $HE_STATUS${HE_DETAIL:+ ($HE_DETAIL)}"
      fi
      he_record "$id" excepted "$HE_DETAIL" "${HE_CTL_REASON[$id]}" ;;
    automated)
      he_audit_control "$id"
      if [[ $HE_MODE == audit || $HE_STATUS == pass || $HE_STATUS == not-applicable ]]; then
        he_record "$id" "$HE_STATUS" "$HE_DETAIL"
        return 0
      fi
      if [[ $HE_DRY_RUN == 1 ]]; then  # the remediation is never called
        he_record "$id" would-fix "$HE_DETAIL"
        return 0
      fi
      HE_BEFORE=$HE_DETAIL
      HE_DEFER_REASON=""
      HE_PHASE=apply
      "${HE_CTL_FN[$id]}" apply
      if [[ -n $HE_DEFER_REASON ]]; then
        he_record "$id" deferred "$HE_DEFER_REASON"
        return 0
      fi
      HE_PHASE=check
      he_audit_control "$id"
      case $HE_STATUS in
        pass | not-applicable) he_record "$id" fixed "$HE_DETAIL (was: $HE_BEFORE)" ;;
        deferred) he_record "$id" deferred "$HE_DETAIL" ;;
        *) he_record "$id" fail "remediation did not take effect: $HE_DETAIL" ;;
      esac ;;
    *) printf '%s: internal error: unknown disposition %s\n' "$id" "${HE_CTL_DISPOSITION[$id]}" >&2
      return 3 ;;
  esac
}

# he_show_err FILE: copy a control's messages to stderr (builtins only: this runs once per control).
he_show_err() {
  local line
  [[ -s $1 ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do printf '%s\n' "$line" >&2; done <"$1"
}

# he_run_from FIRST: (in a subshell) run HE_RUN_IDS from index FIRST on.
he_run_from() {
  trap 'he_save_state' EXIT
  for ((HE_AT = $1; HE_AT < ${#HE_RUN_IDS[@]}; HE_AT++)); do
    HE_CURRENT=${HE_RUN_IDS[$HE_AT]}
    HE_PHASE=audit
    HE_BEFORE=""
    he_run_control "$HE_CURRENT" 2>"$HE_TMP/control.err"
    he_show_err "$HE_TMP/control.err"
  done
  HE_AT=${#HE_RUN_IDS[@]}
}

# he_save_state: (the subshell's EXIT trap) what he_main needs to report and resume, as bash assignments.
he_save_state() {
  local k v
  {
    printf 'HE_AT=%q HE_PHASE=%q HE_BEFORE=%q HE_DETAIL=%q\n' "$HE_AT" "$HE_PHASE" "$HE_BEFORE" "$HE_DETAIL"
    for k in "${!HE_COUNTS[@]}"; do printf 'HE_COUNTS[%q]=%q\n' "$k" "${HE_COUNTS[$k]}"; done
    printf 'HE_JSON_CONTROLS=('
    for v in "${HE_JSON_CONTROLS[@]}"; do printf ' %q' "$v"; done
    printf ')\n'
    for v in "${HE_CARRY[@]}"; do printf '%s=%q\n' "$v" "${!v}"; done
  } >"$HE_TMP/state"
}

# he_clean_pending: remove the temporary files (he_mktemp) a stopped control left next to its targets.
he_clean_pending() {
  local f
  [[ -n $HE_TMP && -s $HE_TMP/pending ]] || return 0
  while IFS= read -r f; do
    if [[ -e $f || -L $f ]]; then rm -f -- "$f"; fi
  done <"$HE_TMP/pending"
  : >"$HE_TMP/pending"
}

# he_report_crash RC: the subshell ended inside control HE_RUN_IDS[HE_AT]: report it from its messages.
he_report_crash() {
  local rc=$1 id=${HE_RUN_IDS[$HE_AT]} line why=""
  if [[ -s $HE_TMP/control.err ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      printf '%s\n' "$line" >&2
      [[ -z ${line//[[:space:]]/} ]] || why=${line#cis-harden: }
    done <"$HE_TMP/control.err"
  fi
  why=${why:-"a command failed with exit status $rc"}
  HE_CURRENT=$id
  if [[ -f $HE_TMP/usage-error ]]; then
    HE_USAGE_ERRORS=$((HE_USAGE_ERRORS + 1))
    rm -f -- "$HE_TMP/usage-error"
  else
    HE_ERRORS=$((HE_ERRORS + 1))
  fi
  local verb=AUDIT what="cannot judge"
  [[ $HE_MODE == audit ]] || verb=PATCH
  [[ $HE_PHASE != apply ]] || what="remediation failed"
  printf 'cis-harden: %s | %s | %s: %s: %s\n' "$id" "$verb" "${HE_CTL_TITLE[$id]}" "$what" "$why" >&2
  case $HE_PHASE in
    apply) he_record "$id" error "remediation failed: $why (was: $HE_BEFORE)" ;;
    check) he_record "$id" fail "cannot judge after the remediation: $why" ;;
    excepted) he_record "$id" excepted "current state: cannot judge ($why)" "${HE_CTL_REASON[$id]}" ;;
    *) he_record "$id" fail "cannot judge: $why" ;;
  esac
}

he_on_exit() {
  local rc=$1
  he_clean_pending
  [[ -n $HE_TMP && -d $HE_TMP ]] && rm -rf -- "$HE_TMP"
  if [[ $rc -ne 0 && -n $HE_CURRENT ]]; then
    printf 'cis-harden: stopped at %s | %s | %s (exit status %s)\n' "$HE_CURRENT" \
      "${HE_MODE^^}" "${HE_CTL_TITLE[$HE_CURRENT]}" "$rc" >&2
  fi
}

# he_lock: one apply at a time per root (flock on the root directory itself, so nothing is written into it).
# Waits HE_LOCK_WAIT seconds (default 900) for another apply to finish, then gives up with exit status 3.
he_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  local fd
  exec {fd}<"${HE_ROOT:-/}"
  flock -n "$fd" && return 0
  printf 'cis-harden: another apply is running on %s; waiting for it\n' "${HE_ROOT:-/}" >&2
  flock -w "${HE_LOCK_WAIT:-900}" "$fd" && return 0
  printf 'cis-harden: another apply still holds %s after %ss; nothing was changed\n' "${HE_ROOT:-/}" \
    "${HE_LOCK_WAIT:-900}" >&2
  exit 3
}

# he_sweep_stale_temp: (apply, holding the lock) remove temporary files a killed run left next to its targets,
# so they never end up in an image.
he_sweep_stale_temp() {
  local d dirs=()
  for d in /etc /boot /root /home /var/spool/cron /usr/lib/systemd /usr/local/lib/systemd; do
    if [[ -d $HE_ROOT$d && ! -L $HE_ROOT$d ]]; then dirs+=("$HE_ROOT$d"); fi
  done
  [[ ${#dirs[@]} -eq 0 ]] || find "${dirs[@]}" -xdev -name '.cis-harden.*' -type f -delete 2>/dev/null || true
  # an interrupted authselect profile copy (lib: he_as_apply) is a directory
  [[ ! -d $HE_ROOT/etc/authselect/custom ]] ||
    find "$HE_ROOT/etc/authselect/custom" -maxdepth 1 -name '.*.staging' -type d -exec rm -rf -- {} + 2>/dev/null || true
}

he_main() {
  he_parse_args "$@"
  if [[ $HE_MODE == apply && $HE_DRY_RUN == 0 ]]; then
    he_lock
    he_sweep_stale_temp
  fi
  HE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/cis-harden.XXXXXX")
  trap 'he_on_exit $?' EXIT
  umask 022
  # A run that writes nothing (audit, apply --dry-run) reads each file once (lib/common.sh: per-run caches).
  if [[ $HE_MODE == audit || $HE_DRY_RUN == 1 ]]; then
    HE_CACHE=1
    he_cache_prefill
  fi
  local id rc next=0
  for id in "${HE_PROFILE_IDS[@]}"; do
    [[ $HE_ONLY == " " || $HE_ONLY == *" $id "* ]] || continue
    HE_RUN_IDS+=("$id")
  done
  while [[ $next -lt ${#HE_RUN_IDS[@]} ]]; do
    rc=0
    set +e
    (
      set -e
      he_run_from "$next"
    )
    rc=$?
    set -e
    # shellcheck disable=SC1091  # written by he_save_state with printf %q
    source "$HE_TMP/state"
    he_clean_pending
    if [[ $rc -ne 0 ]]; then
      he_report_crash "$rc"
      HE_AT=$((HE_AT + 1))
    fi
    next=$HE_AT
  done
  HE_CURRENT=""
  if [[ $HE_JSON == 1 ]]; then
    he_print_json
  else
    printf 'summary | %s | level %s | pass=%d fixed=%d fail=%d manual=%d excepted=%d excluded=%d ' \
      "$HE_PROFILE_BENCHMARK" "$HE_PROFILE_LEVEL" "${HE_COUNTS[pass]}" "${HE_COUNTS[fixed]}" "${HE_COUNTS[fail]}" \
      "${HE_COUNTS[manual]}" "${HE_COUNTS[excepted]}" "${HE_COUNTS[excluded]}"
    printf 'not-applicable=%d deferred=%d error=%d' "${HE_COUNTS[not-applicable]}" "${HE_COUNTS[deferred]}" \
      "${HE_COUNTS[error]}"
    if [[ $HE_DRY_RUN == 1 ]]; then printf ' would-fix=%d (dry run: nothing changed)' "${HE_COUNTS[would-fix]}"; fi
    printf '\n'
  fi
  if [[ $HE_USAGE_ERRORS -gt 0 ]]; then exit 2; fi
  if [[ $HE_ERRORS -gt 0 ]]; then exit 3; fi
  if [[ $((HE_COUNTS[fail] + HE_COUNTS[deferred] + HE_COUNTS[would-fix])) -gt 0 ]]; then exit 1; fi
}
