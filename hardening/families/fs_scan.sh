# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: fs_scan
# args: check exempt...
# A full-file-system check over the shared single pass of lib/fs_scan.sh (every control using it with the
# same EXEMPT list reuses one `find`). CHECK is one of:
#   world-writable  no world-writable regular file and no world-writable directory without the sticky bit;
#                   apply removes write for others from files and sets the sticky bit on directories.
#   unowned         every entry's owner and group exist in the target's accounts; apply gives unowned
#                   entries to root and ungrouped ones to group root (the kernel clears set-id bits on chown).
# EXEMPT paths hold container and kubelet state (image layers, pod volumes): their owners are image and pod
# UIDs and their modes belong to the workload, so they are pruned from the scan and named in the evidence.

he_fam_fs_scan() {
  local mode=$1 check=$2
  shift 2
  local kinds=() kind findings=() paths=() path sample detail
  case $check in
    world-writable) kinds=(world-writable-file world-writable-dir) ;;
    unowned) kinds=(unowned ungrouped) ;;
    *) printf '%s: fs_scan: unknown check %s (allowed: world-writable, unowned)\n' "$HE_CURRENT" "$check" >&2
      return 1 ;;
  esac
  he_fs_scan "$@"
  if [[ $mode == audit ]]; then
    for kind in "${kinds[@]}"; do
      he_fs_scan_paths paths "$kind"
      [[ ${#paths[@]} -eq 0 ]] && continue
      he_fs_scan_sample sample "${paths[@]}"
      findings+=("${#paths[@]} ${kind//-/ }: $sample")
    done
    detail="$(<"$HE_FS_SCAN_DIR/scanned") entries scanned; exempt: $*"
    [[ $HE_FS_SCAN_ERRORS -eq 0 ]] || detail+="; $HE_FS_SCAN_ERRORS unreadable"
    local IFS=';'
    if [[ ${#findings[@]} -gt 0 ]]; then
      he_fail "${findings[*]} ($detail)"
    elif [[ $HE_FS_SCAN_ERRORS -gt 0 ]]; then
      he_fail "the scan could not read every entry ($detail)"
    else
      he_pass "none found ($detail)"
    fi
    return 0
  fi
  local root_uid root_gid
  if ! root_uid=$(he_uid root) || ! root_gid=$(he_gid root); then
    printf '%s: root is not in %s/etc/passwd or /etc/group\n' "$HE_CURRENT" "$HE_ROOT" >&2
    return 1
  fi
  for kind in "${kinds[@]}"; do
    he_fs_scan_paths paths "$kind"
    for path in "${paths[@]}"; do
      case $kind in
        world-writable-file) chmod o-w -- "$HE_ROOT$path" ;;
        world-writable-dir) chmod +t -- "$HE_ROOT$path" ;;
        unowned) chown -h "$root_uid" -- "$HE_ROOT$path" ;;
        ungrouped) chgrp -h "$root_gid" -- "$HE_ROOT$path" ;;
      esac
    done
  done
  he_fs_scan_invalidate
}
