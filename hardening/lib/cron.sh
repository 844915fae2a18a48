# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# cron and at restricted to listed users (CIS AL2023 4.1.8/4.1.9, AL2 4.1.1.8/4.1.2.1), and the owner/mode
# helpers those and the sshd file controls share.

# he_perm_problems REAL MAXMODE OWNER GROUP[|GROUP2]: prints what is wrong with REAL (empty when fine).
he_perm_problems() {
  local real=$1 max=$2 owner=$3 groups=$4 st mode uid gid g group_ok=0 uid_want
  st=$(stat -c '%a %u %g' -- "$real")
  read -r mode uid gid <<<"$st"
  uid_want=$(he_uid "$owner")
  for g in ${groups//|/ }; do
    if [[ $(he_gid "$g" || true) == "$gid" ]]; then group_ok=1; fi
  done
  local problems=()
  (((8#$mode & ~8#$max & 8#7777) == 0)) || problems+=("mode $mode exceeds $max")
  [[ $uid == "$uid_want" ]] || problems+=("owner uid $uid, want $owner")
  [[ $group_ok == 1 ]] || problems+=("group gid $gid, want ${groups//|/ or }")
  [[ ${#problems[@]} -eq 0 ]] || printf '%s: %s' "$(he_rel "$real")" "${problems[*]}"
}

# he_perm_fix REAL MAXMODE OWNER GROUP [ALLOWED]: drop extra mode bits; chown to OWNER and, if the group is not
# among the allowed ones (ALLOWED, "|"-separated, default GROUP), to GROUP.
he_perm_fix() {
  local real=$1 max=$2 owner=$3 group=$4 allowed=${5:-$4} st mode uid gid g keep=0
  st=$(stat -c '%a %u %g' -- "$real")
  read -r mode uid gid <<<"$st"
  for g in ${allowed//|/ }; do
    if [[ $(he_gid "$g" || true) == "$gid" ]]; then keep=1; fi
  done
  [[ $keep == 1 ]] || gid=$(he_gid "$group")
  chown "$(he_uid "$owner"):$gid" -- "$real"
  chmod "$(printf '%o' $((8#$mode & 8#$max)))" -- "$real"
}

he_cron_installed() { he_any_exists /usr/sbin/crond; }

# he_allow_deny MODE TOOL ALLOW DENY GROUPS: ALLOW exists, DENY is absent or tight; both root-owned, <= 0640.
# With ALLOW present the tool ignores DENY; an empty ALLOW admits root only.
he_allow_deny() {
  local mode=$1 tool=$2 allow=$3 deny=$4 groups=$5 real problem bad=()
  he_resolve real "$allow"
  if [[ ! -f $real ]]; then
    bad+=("$allow does not exist (anyone not in $deny may use $tool)")
  else
    problem=$(he_perm_problems "$real" 0640 root "$groups")
    [[ -z $problem ]] || bad+=("$problem")
  fi
  he_resolve real "$deny"
  if [[ -f $real ]]; then
    problem=$(he_perm_problems "$real" 0640 root "$groups")
    [[ -z $problem ]] || bad+=("$problem")
  fi
  if [[ $mode == audit ]]; then
    he_report_bad "$allow exists; $tool is limited to the users it lists"
    return 0
  fi
  he_resolve real "$allow"
  if [[ ! -f $real ]]; then
    he_mkdir "${allow%/*}"
    local tmp
    he_mktemp tmp "$HE_ROOT${allow%/*}"
    HE_NEW_MODE=0640 he_install_tmp "$tmp" "$real"
  fi
  he_perm_fix "$real" 0640 root root "$groups"
  he_resolve real "$deny"
  if [[ -f $real ]]; then he_perm_fix "$real" 0640 root root "$groups"; fi
}

# he_cron_restricted MODE: crontab limited through /etc/cron.allow (empty: root only).
he_cron_restricted() {
  if ! he_cron_installed; then [[ $1 == audit ]] && he_na "cronie is not installed"; return 0; fi
  he_allow_deny "$1" crontab /etc/cron.allow /etc/cron.deny root
}

# he_at_restricted MODE: at limited through /etc/at.allow (group root or daemon, as the at package ships it).
he_at_restricted() {
  if ! he_any_exists /usr/bin/at; then [[ $1 == audit ]] && he_na "at is not installed"; return 0; fi
  he_allow_deny "$1" at /etc/at.allow /etc/at.deny "root|daemon"
}
