# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: audit_privileged
# args: exempt...
# Every set-uid/set-gid program of the host has an execution audit rule
# (`-a always,exit -F path=P -F perm=x -F auid>=UID_MIN -F auid!=unset -k privileged`). The inventory is the
# shared full-file-system pass of lib/fs_scan.sh with the same EXEMPT list as the other full-file-system
# controls, so one `find` serves them all: image layers and pod volumes are the workload's programs, not the
# host's, and change with every pod. Missing rules go to /etc/audit/rules.d/50-privileged.rules.

he_fam_audit_privileged() {
  local mode=$1 programs=() path required=() problems users
  shift
  he_fs_scan "$@"
  local suid=() sgid=()
  he_fs_scan_paths suid suid
  he_fs_scan_paths sgid sgid
  mapfile -t programs < <(printf '%s\n' "${suid[@]}" "${sgid[@]}" | gawk 'NF' | LC_ALL=C sort -u)
  users="-F auid>=$(he_uid_min) -F auid!=unset"
  for path in "${programs[@]}"; do
    required+=("-a always,exit -F path=$path -F perm=x $users -k privileged")
  done
  if [[ $mode == audit ]]; then
    if [[ ${#required[@]} -eq 0 ]]; then he_na "no set-uid/set-gid programs outside $*"; return 0; fi
    he_audit_rules_check problems "${required[@]}"
    if [[ -z $problems ]]; then
      he_pass "${#required[@]} set-uid/set-gid programs audited (not scanned: $*)"
    else
      he_fail "$(he_audit_problems_text "$problems")"
    fi
    return 0
  fi
  if [[ ! -d $HE_ROOT/etc/audit/rules.d ]]; then
    if he_live; then printf '%s: /etc/audit/rules.d is missing: install audit (5.2.1.1)\n' "$HE_CURRENT" >&2; return 1; fi
    he_defer "/etc/audit/rules.d appears when the audit package is installed (5.2.1.1)"
    return 0
  fi
  he_audit_rules_apply 50-privileged.rules "${required[@]}"
}
