# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016,SC2034  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# Local accounts and the login environment, shared by the benchmarks (AL2023 4.6.x, AL2 4.5.x): login.defs,
# password ageing, system accounts, shell timeout and umask. EKS: ageing and locking only ever touch accounts
# with a password hash, so ec2-user and ssm-user (no password; Session Manager, sudo NOPASSWD) are unchanged.

# he_today: days since the epoch (the unit of /etc/shadow).
he_today() { printf '%d' $(($(date -u +%s) / 86400)); }

# he_login_defs KEY: the value shadow-utils uses (the last definition in login.defs wins).
he_login_defs() {
  local real
  he_resolve real /etc/login.defs
  [[ -f $real ]] || return 0
  gawk -v key="$1" '$1 == key && NF >= 2 { v = $2 } END { printf "%s", v }' "$real"
}

# he_login_defs_set KEY VALUE: one active definition of KEY, in place of the first (later ones commented out).
he_login_defs_set() {
  local real
  he_resolve real /etc/login.defs
  he_edit_file "$(he_rel "$real")" -v key="$1" -v val="$2" '
    $1 == key { if (!done) print key "\t" val; else print "# " $0 "  # superseded (CIS hardening)"; done = 1; next }
    { print }
    END { if (!done) print key "\t" val }'
}

# Accounts with a password hash in /etc/shadow are the ones ageing applies to; ec2-user and ssm-user have
# none (an ageing record on a password-less account would expire its key-based logins too).
HE_AWK_HAS_PASSWORD='function has_password() { return $2 ~ /^\$.+\$/ }'

# he_ageing MODE DEFS-KEY CMP BOUND FIX FIELD [DEFAULT-FILE]: login.defs KEY (or KEY= in DEFAULT-FILE) and shadow
# FIELD of every account with a password satisfy CMP ("le": 1..BOUND, "ge": >= BOUND); apply sets FIX.
he_ageing() {
  local mode=$1 key=$2 cmp=$3 bound=$4 fix=$5 field=$6 defaults=${7:-} value bad=() users
  if [[ -n $defaults ]]; then
    value=$(gawk -F= -v key="$key" '$1 == key { v = $2 } END { printf "%s", v }' "$HE_ROOT$defaults" 2>/dev/null || true)
  else
    value=$(he_login_defs "$key")
  fi
  local ok_expr='(v ~ /^-?[0-9]+$/) && (cmp == "le" ? (v + 0 >= lo && v + 0 <= bound) : (v + 0 >= bound))'
  local lo=1
  [[ $key == INACTIVE ]] && lo=0
  if ! gawk -v v="$value" -v cmp="$cmp" -v bound="$bound" -v lo="$lo" "BEGIN { exit !($ok_expr) }"; then
    bad+=("${defaults:-login.defs} $key=${value:-unset}")
  fi
  users=$(gawk -F: -v f="$field" -v cmp="$cmp" -v bound="$bound" -v lo="$lo" "$HE_AWK_HAS_PASSWORD"'
    has_password() { v = $f; if (!('"$ok_expr"')) printf "%s%s(%s)", (n++ ? " " : ""), $1, (v == "" ? "unset" : v) }' \
    "$HE_ROOT/etc/shadow")
  [[ -z $users ]] || bad+=("accounts: $users")
  if [[ $mode == audit ]]; then
    he_report_bad "${defaults:-login.defs} $key=$value; every account with a password complies"
    return 0
  fi
  if [[ -n $defaults ]]; then
    he_edit_file "$defaults" -F= -v key="$key" -v val="$fix" '$1 == key { if (!done) print key "=" val; done = 1; next } { print } END { if (!done) print key "=" val }'
  else
    he_login_defs_set "$key" "$fix"
  fi
  he_edit_file /etc/shadow -F: -v OFS=: -v f="$field" -v fix="$fix" -v cmp="$cmp" -v bound="$bound" -v lo="$lo" \
    "$HE_AWK_HAS_PASSWORD"'
    has_password() { v = $f; if (!('"$ok_expr"')) $f = fix } { print }'
}

# he_last_change_past MODE: no last-password-change date in the future. Apply: an account with a password must change it at
# next login (date 0); one without gets today's date (0 would make pam_unix demand a change it cannot do).
he_last_change_past() {
  local mode=$1 today users
  today=$(he_today)
  users=$(gawk -F: -v today="$today" '$3 ~ /^[0-9]+$/ && $3 + 0 > today { printf "%s%s(%s)", (n++ ? " " : ""), $1, $3 }' \
    "$HE_ROOT/etc/shadow")
  if [[ $mode == audit ]]; then
    if [[ -z $users ]]; then he_pass "no password change date after today (day $today)"
    else he_fail "future password change dates: $users (today is day $today)"; fi
    return 0
  fi
  he_edit_file /etc/shadow -F: -v OFS=: -v today="$today" "$HE_AWK_HAS_PASSWORD"'
    $3 ~ /^[0-9]+$/ && $3 + 0 > today { $3 = has_password() ? 0 : today } { print }'
}

# he_system_accounts MODE: system accounts (UID below UID_MIN, and nobody) have no login shell and a locked password;
# root, sync, shutdown and halt keep theirs. ssm-user and ec2-user are regular accounts (UID >= 1000).
HE_SYSTEM_EXEMPT='^(root|halt|sync|shutdown|nfsnobody)$'
HE_NOLOGIN=/usr/sbin/nologin
he_system_accounts() {
  local mode=$1 uid_min shells locks nologin_ok
  uid_min=$(he_login_defs UID_MIN)
  uid_min=${uid_min:-1000}
  shells=$(gawk -F: -v min="$uid_min" -v ex="$HE_SYSTEM_EXEMPT" '
    $1 !~ ex && ($3 < min || $3 == 65534) && $7 !~ /^(\/usr)?\/sbin\/nologin$/ && $7 !~ /^(\/usr)?\/bin\/false$/ {
      printf "%s%s(%s)", (n++ ? " " : ""), $1, $7 }' "$HE_ROOT/etc/passwd")
  locks=$(gawk -F: -v min="$uid_min" -v ex="$HE_SYSTEM_EXEMPT" '
    FNR == NR { if ($1 !~ ex && $1 != "root" && ($3 < min || $3 == 65534)) sys[$1] = 1; next }
    ($1 in sys) && $2 !~ /^[!*]/ { printf "%s%s", (n++ ? " " : ""), $1 }' "$HE_ROOT/etc/passwd" "$HE_ROOT/etc/shadow")
  if [[ $mode == audit ]]; then
    local bad=()
    [[ -z $shells ]] || bad+=("system accounts with a login shell: $shells")
    [[ -z $locks ]] || bad+=("system accounts not locked: $locks")
    he_report_bad "system accounts below UID $uid_min have no login shell and are locked"
    return 0
  fi
  nologin_ok=$HE_NOLOGIN
  [[ -e $HE_ROOT$HE_NOLOGIN || ! -e $HE_ROOT/sbin/nologin ]] || nologin_ok=/sbin/nologin
  if [[ -n $shells ]]; then
    he_edit_file /etc/passwd -F: -v OFS=: -v min="$uid_min" -v ex="$HE_SYSTEM_EXEMPT" -v sh="$nologin_ok" '
      $1 !~ ex && ($3 < min || $3 == 65534) && $7 !~ /^(\/usr)?\/sbin\/nologin$/ && $7 !~ /^(\/usr)?\/bin\/false$/ { $7 = sh }
      { print }'
  fi
  if [[ -n $locks ]]; then
    he_edit_file /etc/shadow -F: -v OFS=: -v users=" $locks " 'index(users, " " $1 " ") { $2 = "!" $2 } { print }'
  fi
}

# he_shell_timeout MODE: idle shells time out: TMOUT 1..900, readonly and exported, set in /etc/profile, /etc/profile.d/*.sh
# or /etc/bashrc; no file sets a longer or zero TMOUT.
HE_TMOUT_FILE=/etc/profile.d/cis-tmout.sh
HE_TMOUT=900
he_shell_startup_files() {
  local __tf=() __tf_rc=0
  he__he_shell_startup_files_fill "$@" || __tf_rc=$?
  he_set_array "$1" "${__tf[@]}"
  return "$__tf_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_shell_startup_files_fill fills __tf, a local of he_shell_startup_files, which copies it to $1.
he__he_shell_startup_files_fill() {
  local f
  __tf=()
  for f in "$HE_ROOT/etc/profile" "$HE_ROOT"/etc/profile.d/*.sh "$HE_ROOT/etc/bashrc"; do [[ -f $f ]] && __tf+=("$f"); done
  return 0
}
he_shell_timeout() {
  local mode=$1 files=() bad=() found loc tmout_ok=""
  he_shell_startup_files files
  found=$(gawk '
    /^[ \t]*#/ { next }
    match($0, /(^|[ \t;])(readonly|export|typeset|declare)?[ \t]*(-[a-z]+[ \t]+)?TMOUT=[^ \t;]*/) {
      v = substr($0, RSTART, RLENGTH); sub(/.*TMOUT=/, "", v); gsub(/["\047]/, "", v)
      printf "%s\t%s:%d\n", v, FILENAME, FNR }
    /(^|[ \t;])readonly([ \t]+-[a-z]+)?[ \t]+TMOUT([ \t;=]|$)/ || /typeset[ \t]+-[a-z]*r[a-z]*[ \t]+TMOUT/ || /declare[ \t]+-[a-z]*r[a-z]*[ \t]+TMOUT/ { ro[FILENAME] = 1 }
    /(^|[ \t;])export[ \t]+TMOUT([ \t;=]|$)/ || /(typeset|declare)[ \t]+-[a-z]*x[a-z]*[ \t]+TMOUT/ { ex[FILENAME] = 1 }
    END { for (f in ro) if (f in ex) printf "ROEX\t%s\n", f }' "${files[@]}")
  local v ro_ex=()
  while IFS=$'\t' read -r v loc; do
    [[ -n $v ]] || continue
    if [[ $v == ROEX ]]; then ro_ex+=("$loc"); continue; fi
    if [[ $v =~ ^[0-9]+$ ]] && ((v >= 1 && v <= HE_TMOUT)); then tmout_ok+="${tmout_ok:+, }TMOUT=$v ($(he_rel "$loc"))"
    else bad+=("TMOUT=$v at $(he_rel "$loc")"); fi
  done <<<"$found"
  local ro_ok=0 f
  for f in "${ro_ex[@]}"; do [[ $tmout_ok == *"$(he_rel "$f")"* ]] && ro_ok=1; done
  [[ -n $tmout_ok ]] || bad+=("TMOUT is not set")
  [[ -z $tmout_ok || $ro_ok == 1 ]] || bad+=("TMOUT is not readonly and exported where it is set")
  if [[ $mode == audit ]]; then
    he_report_bad "$tmout_ok, readonly, exported"
    return 0
  fi
  while IFS=$'\t' read -r v loc; do
    [[ -n $v && $v != ROEX ]] || continue
    [[ $v =~ ^[0-9]+$ ]] && ((v >= 1 && v <= HE_TMOUT)) && continue
    he_neutralize_line "${loc%:*}" "${loc##*:}" /etc/profile.d
  done <<<"$found"
  # Guarded: a nested shell reads profile.d again, and TMOUT is readonly by then.
  he_write_file "$HE_TMOUT_FILE" "# CIS $HE_CURRENT: idle interactive shells end after ${HE_TMOUT} seconds (managed by cis-harden.sh)
[ \"\${TMOUT:-}\" = $HE_TMOUT ] || TMOUT=$HE_TMOUT
readonly TMOUT
export TMOUT"
}

# he_default_umask MODE: default umask 027 or stricter: login.defs UMASK, and every umask command in /etc/profile,
# /etc/profile.d/*.sh and /etc/bashrc (including the uid>199 branch that sets 002).
HE_UMASK=027
HE_UMASK_FILE=/etc/profile.d/cis-umask.sh
he_umask_weak() {  # octal umask VALUE lacks some bit of 027
  [[ $1 =~ ^0?[0-7]{3}$ ]] || return 0
  (((8#$1 & 8#027) != 8#027))
}
# he_weak_umasks FILE...: "<value>\t<file>:<line>" for every umask command in FILEs weaker than HE_UMASK (a
# symbolic one counts as weak: "symbolic").
he_weak_umasks() {
  local v loc
  [[ $# -gt 0 ]] || return 0
  while IFS=$'\t' read -r v loc; do
    [[ -n $v ]] || continue
    if [[ $v == symbolic ]] || he_umask_weak "$v"; then printf '%s\t%s\n' "$v" "$loc"; fi
  done < <(gawk '
    /^[ \t]*#/ { next }
    match($0, /(^|[ \t;])umask[ \t]+[0-7]+/) { v = substr($0, RSTART, RLENGTH); sub(/.*umask[ \t]+/, "", v); printf "%s\t%s:%d\n", v, FILENAME, FNR }
    match($0, /(^|[ \t;])umask[ \t]+(-S[ \t]+)?[ugoa]/) { printf "symbolic\t%s:%d\n", FILENAME, FNR }' "$@")
}

# he_fix_umasks FINDINGS: each umask of he_weak_umasks' output becomes HE_UMASK.
he_fix_umasks() {
  local v loc
  while IFS=$'\t' read -r v loc; do
    [[ -n $v ]] || continue
    he_edit_file "$(he_rel "${loc%:*}")" -v n="${loc##*:}" -v m="$HE_UMASK" \
      'FNR == n { sub(/umask[ \t]+(-S[ \t]+)?[^ \t;]+/, "umask " m) } { print }'
  done <<<"$1"
}

he_default_umask() {
  local mode=$1 files=() found v loc bad=() defs
  he_shell_startup_files files
  found=$(he_weak_umasks "${files[@]}")
  while IFS=$'\t' read -r v loc; do
    [[ -z $v ]] || bad+=("umask $v at $(he_rel "$loc")")
  done <<<"$found"
  defs=$(he_login_defs UMASK)
  if he_umask_weak "${defs:-022}"; then bad+=("login.defs UMASK ${defs:-unset (022)}"); fi
  if [[ $mode == audit ]]; then
    he_report_bad "login.defs UMASK $defs; no shell start-up file sets a weaker umask"
    return 0
  fi
  he_umask_weak "${defs:-022}" && he_login_defs_set UMASK "$HE_UMASK"
  he_fix_umasks "$found"
  he_write_file "$HE_UMASK_FILE" "# CIS $HE_CURRENT: files users create are not group-writable or world-readable (managed by cis-harden.sh)
umask $HE_UMASK"
}

# he_root_password_audit MODE: root has a password (an EKS exception on both benchmarks, see exceptions.yaml);
# the audit still reports the evidence.
he_root_password_audit() {
  local mode=$1 field
  [[ $mode == audit ]] || return 0
  field=$(gawk -F: '$1 == "root" { print substr($2, 1, 1); exit }' "$HE_ROOT/etc/shadow")
  case $field in
    '$') he_pass "root has a password hash" ;;
    '') he_fail "root has an empty password field" ;;
    *) he_fail "root's password is locked ('$field...'): no password is set" ;;
  esac
}
