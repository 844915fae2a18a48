# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: file_perm
# args: path mode owner group
# PATH (symlinks followed inside the root) has no permission bits beyond MODE (octal) and is owned by
# OWNER:GROUP, names resolved through the root's own /etc/passwd and /etc/group. A missing file is not
# applicable, except the account databases every node has: a root without one fails (nothing to fix it from).
HE_FILE_PERM_REQUIRED=" /etc/passwd /etc/shadow /etc/group "

he_fam_file_perm() {
  local mode=$1 path=$2 max=$3 owner=$4 group=$5 real uid gid st cur_mode cur_uid cur_gid
  he_resolve real "$path"
  if [[ ! -e $real ]]; then
    if [[ $HE_FILE_PERM_REQUIRED == *" $path "* ]]; then he_fail "$path does not exist"; else he_na "$path does not exist"; fi
    return 0
  fi
  he_uid_get uid "$owner" || { printf '%s: user %s not in %s/etc/passwd\n' "$HE_CURRENT" "$owner" "$HE_ROOT" >&2; return 1; }
  he_gid_get gid "$group" || { printf '%s: group %s not in %s/etc/group\n' "$HE_CURRENT" "$group" "$HE_ROOT" >&2; return 1; }
  he_stat st "$real"
  read -r cur_mode cur_uid cur_gid <<<"$st"
  local extra=$((8#$cur_mode & ~8#$max & 8#7777))
  if [[ $mode == audit ]]; then
    local bad=()
    [[ $extra -eq 0 ]] || bad+=("mode $cur_mode exceeds $max")
    [[ $cur_uid == "$uid" ]] || bad+=("owner uid $cur_uid, want $owner")
    [[ $cur_gid == "$gid" ]] || bad+=("group gid $cur_gid, want $group")
    if [[ ${#bad[@]} -eq 0 ]]; then
      he_pass "$path $cur_mode $owner:$group"
    else
      local IFS=';'
      he_fail "$path: ${bad[*]}"
    fi
    return 0
  fi
  [[ $extra -eq 0 ]] || chmod "$(printf '%o' $((8#$cur_mode & 8#$max)))" -- "$real"
  [[ $cur_uid == "$uid" && $cur_gid == "$gid" ]] || chown "$uid:$gid" -- "$real"
}
