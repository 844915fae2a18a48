# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# sudo and su, shared by the benchmarks (CIS AL2023 4.3.2-4.3.6, AL2 4.3.2-4.3.7): sudoers read as sudo reads
# it (/etc/sudoers, then #include/#includedir in order; for Defaults the last setting wins), edited atomically
# and, on a running system, only after visudo accepts the result (a broken sudoers would lock ssm-user out).

HE_SUDOERS_DROPIN=/etc/sudoers.d/cis-hardening  # no dot: sudo skips names with one
HE_SUDO_LOGFILE=/var/log/sudo.log
HE_SU_GROUP=sugroup

# he_sudoers_files VAR: /etc/sudoers and what it includes (#include/@include, #includedir/@includedir: files
# without "." or trailing "~", in name order), as real paths in the order sudo reads them.
he_sudoers_files() {
  local __sudo_files=() __sudo_files_rc=0
  he__he_sudoers_files_fill "$@" || __sudo_files_rc=$?
  he_set_array "$1" "${__sudo_files[@]}"
  return "$__sudo_files_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_sudoers_files_fill fills __sudo_files, a local of he_sudoers_files, which copies it to $1.
he__he_sudoers_files_fill() {
  local real inc kind f
  __sudo_files=()
  he_resolve real /etc/sudoers
  [[ -f $real ]] || return 0
  __sudo_files=("$real")
  while IFS=$'\t' read -r kind inc; do
    [[ $inc == /* ]] || inc=/etc/$inc
    if [[ $kind == includedir ]]; then
      for f in "$HE_ROOT$inc"/*; do
        [[ -f $f && ${f##*/} != *.* && $f != *~ ]] && __sudo_files+=("$f")
      done
    elif [[ -f $HE_ROOT$inc ]]; then
      __sudo_files+=("$HE_ROOT$inc")
    fi
  done < <(gawk '/^[ \t]*[#@]include(dir)?[ \t]/ { k = $1; sub(/^[#@]/, "", k); print k "\t" $2 }' "$real")
  return 0
}

# he_sudo_defaults: every Defaults option in reading order: "<scope>\t<option>\t<file>:<line>"; scope is
# "global" for plain Defaults, else the binding (":user", "@host", ">runas", "!cmnd").
he_sudo_defaults() {
  local files=()
  he_sudoers_files files
  [[ ${#files[@]} -gt 0 ]] || return 0
  gawk '
    /^[ \t]*#/ || !/^[ \t]*Defaults/ { next }
    {
      line = $0; sub(/^[ \t]*Defaults/, "", line)
      scope = "global"
      if (line ~ /^[:@>!]/) { scope = line; sub(/[ \t].*/, "", scope); sub(/^[^ \t]*/, "", line) }
      n = split(line, opts, ",")
      for (i = 1; i <= n; i++) { o = opts[i]; gsub(/^[ \t]+|[ \t]+$/, "", o); gsub(/[ \t]*=[ \t]*/, "=", o)
        if (o != "") printf "%s\t%s\t%s:%d\n", scope, o, FILENAME, FNR }
    }' "${files[@]}"
}

# he_sudoers_install TMP DEST: like he_install_tmp, but on a running system visudo must accept the result
# first (a broken sudoers would lock ssm-user out of sudo).
he_sudoers_install() {
  local tmp=$1 dest=$2
  if he_live && command -v visudo >/dev/null 2>&1 && ! visudo -c -q -f "$tmp" >/dev/null; then
    rm -f -- "$tmp"
    printf '%s: visudo rejects the edited %s; nothing changed\n' "$HE_CURRENT" "$dest" >&2
    return 1
  fi
  HE_NEW_MODE=0440 he_install_tmp "$tmp" "$dest"
}

# he_sudoers_edit_options FILE GAWK-FUNCTION-BODY: rewrite the Defaults option lists of FILE (a real path);
# the body sees `o` (one option) and sets `o = ""` to drop it. A Defaults line left without options goes.
he_sudoers_edit_options() {
  local file=$1 body=$2 tmp
  he_mktemp tmp "${file%/*}"
  gawk '
    function keep(o) { '"$body"'; return o }
    /^[ \t]*#/ || !/^[ \t]*Defaults/ { print; next }
    {
      line = $0; lead = line; sub(/Defaults.*/, "", lead); sub(/^[ \t]*Defaults/, "", line)
      scope = ""
      if (line ~ /^[:@>!]/) { scope = line; sub(/[ \t].*/, "", scope); sub(/^[^ \t]*/, "", line) }
      n = split(line, opts, ","); out = ""
      for (i = 1; i <= n; i++) { o = opts[i]; gsub(/^[ \t]+|[ \t]+$/, "", o); if (o == "") continue
        o = keep(o); if (o != "") out = out (out == "" ? "" : ", ") o }
      if (out != "") print lead "Defaults" scope " " out
    }' "$file" >"$tmp"
  he_sudoers_install "$tmp" "$file"
}

# he_sudoers_edit_each PATTERN GAWK-FUNCTION-BODY: he_sudoers_edit_options on every file sudo reads that
# contains the fixed string PATTERN.
he_sudoers_edit_each() {
  local files=() f
  he_sudoers_files files
  for f in "${files[@]}"; do
    if grep -qF -- "$1" "$f"; then he_sudoers_edit_options "$f" "$2"; fi
  done
  return 0
}

# he_sudoers_add LINE: LINE in our drop-in when /etc/sudoers reads /etc/sudoers.d, else at the end of /etc/sudoers.
he_sudoers_add() {
  local line=$1 dest tmp main
  he_resolve main /etc/sudoers
  if gawk '/^[ \t]*[#@]includedir[ \t]+\/etc\/sudoers\.d[ \t]*$/ { f = 1 } END { exit !f }' "$main"; then
    dest=$HE_ROOT$HE_SUDOERS_DROPIN
    he_mkdir /etc/sudoers.d
  else
    dest=$main
  fi
  [[ -f $dest ]] && grep -qxF -- "$line" "$dest" && return 0
  he_mktemp tmp "${dest%/*}"
  if [[ -f $dest ]]; then cat -- "$dest" >"$tmp"; else printf '# CIS hardening (managed by cis-harden.sh)\n' >"$tmp"; fi
  printf '%s\n' "$line" >>"$tmp"
  he_sudoers_install "$tmp" "$dest"
}

# he_sudo_use_pty MODE: Defaults use_pty set globally, and nowhere turned off.
he_sudo_use_pty() {
  local mode=$1 scope opt loc state="" where="" bad=()
  while IFS=$'\t' read -r scope opt loc; do
    case $opt in
      use_pty) [[ $scope == global ]] && { state=on; where=$loc; } ;;
      '!use_pty') bad+=("!use_pty at $(he_rel "$loc")"); [[ $scope == global ]] && state=off ;;
    esac
  done < <(he_sudo_defaults)
  [[ $state == on ]] || bad+=("Defaults use_pty is not set")
  if [[ $mode == audit ]]; then
    he_report_bad "Defaults use_pty ($(he_rel "${where%:*}"))"
    return 0
  fi
  he_sudoers_edit_each '!use_pty' 'if (o == "!use_pty") o = ""'
  he_sudoers_add "Defaults use_pty"
}

# he_sudo_logfile MODE: a global Defaults logfile=... (apply: HE_SUDO_LOGFILE, which the audit rules watch).
he_sudo_logfile() {
  local mode=$1 scope opt loc logfile=""
  while IFS=$'\t' read -r scope opt loc; do
    [[ $scope == global && $opt == logfile=* ]] && logfile="$opt ($(he_rel "${loc%:*}"))"
    [[ $scope == global && $opt == '!logfile' ]] && logfile=""
  done < <(he_sudo_defaults)
  if [[ $mode == audit ]]; then
    if [[ -n $logfile ]]; then he_pass "$logfile"; else he_fail "no global Defaults logfile"; fi
    return 0
  fi
  he_sudoers_add "Defaults logfile=\"$HE_SUDO_LOGFILE\""
}

# he_sudo_reauthentication MODE: no Defaults !authenticate anywhere (NOPASSWD on a user's rule is another
# matter: see he_sudo_password_required).
he_sudo_reauthentication() {
  local mode=$1 scope opt loc bad=()
  while IFS=$'\t' read -r scope opt loc; do
    [[ $opt == '!authenticate' ]] && bad+=("Defaults$([[ $scope == global ]] || printf '%s' "$scope") !authenticate at $(he_rel "$loc")")
  done < <(he_sudo_defaults)
  if [[ $mode == audit ]]; then
    he_report_bad "re-authentication is not disabled"
    return 0
  fi
  he_sudoers_edit_each '!authenticate' 'if (o == "!authenticate") o = ""'
}

# he_sudo_nopasswd: "<file>:<line>\t<rule>" for every active user rule with a NOPASSWD tag.
he_sudo_nopasswd() {
  local files=()
  he_sudoers_files files
  [[ ${#files[@]} -gt 0 ]] || return 0
  gawk '/^[ \t]*(#|Defaults)/ || !/NOPASSWD[ \t]*:/ { next }
    { r = $0; gsub(/^[ \t]+|[ \t]+$/, "", r); printf "%s:%d\t%s\n", FILENAME, FNR, r }' "${files[@]}"
}

# he_sudo_password_required MODE: no user rule grants sudo without a password (NOPASSWD); apply drops the tag.
he_sudo_password_required() {
  local mode=$1 loc rule bad=() files=() f
  while IFS=$'\t' read -r loc rule; do
    bad+=("$rule ($(he_rel "$loc"))")
  done < <(he_sudo_nopasswd)
  if [[ $mode == audit ]]; then
    he_report_bad "no sudo rule has NOPASSWD"
    return 0
  fi
  he_sudoers_files files
  for f in "${files[@]}"; do
    grep -q 'NOPASSWD' "$f" || continue
    local tmp
    he_mktemp tmp "${f%/*}"
    gawk '/^[ \t]*(#|Defaults)/ { print; next } { gsub(/NOPASSWD[ \t]*:[ \t]*/, "") } { print }' "$f" >"$tmp"
    he_sudoers_install "$tmp" "$f"
  done
}

# he_sudo_timestamp_timeout MODE: every timestamp_timeout between 0 and 15 minutes (unset: sudo's default, 5).
he_sudo_timestamp_timeout() {
  local mode=$1 scope opt loc bad=() ok=() v
  while IFS=$'\t' read -r scope opt loc; do
    [[ $opt == timestamp_timeout=* ]] || continue
    v=${opt#*=}
    v=${v//\"/}
    if [[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]] && (( ${v%.*} < 15 || (${v%.*} == 15 && ${v#*.} + 0 == 0) || v == 15 )); then
      ok+=("$opt")
    else
      bad+=("$opt at $(he_rel "$loc")")
    fi
  done < <(he_sudo_defaults)
  if [[ $mode == audit ]]; then
    he_report_bad "${ok[*]:-timestamp_timeout not set (sudo default 5 minutes)}"
    return 0
  fi
  he_sudoers_edit_each 'timestamp_timeout' '
    if (o ~ /^timestamp_timeout=/) { v = o; sub(/^[^=]*=/, "", v); gsub(/"/, "", v)
      if (v !~ /^[0-9]+(\.[0-9]+)?$/ || v + 0 > 15) o = "timestamp_timeout=15" }'
}

# ---- su ----------------------------------------------------------------------------------------

# he_su_wheel_group: the group an active `auth required pam_wheel.so use_uid` in /etc/pam.d/su names.
he_su_wheel_group() {
  local real
  he_resolve real /etc/pam.d/su
  [[ -f $real ]] || return 0
  gawk '/^[ \t]*auth[ \t]+required[ \t]+pam_wheel\.so([ \t]|$)/ && / use_uid/ {
      g = "wheel"; for (i = 4; i <= NF; i++) if ($i ~ /^group=/) { g = $i; sub(/^group=/, "", g) }; print g; exit }' "$real"
}

he_group_members() {
  gawk -F: -v g="$1" '$1 == g { print $4; found = 1 } END { exit !found }' "$HE_ROOT/etc/group"
}

# he_group_add NAME: a system group with the highest free GID in login.defs' SYS_GID_MIN..SYS_GID_MAX (the
# last definition wins), as groupadd -r picks it.
he_group_add() {
  local name=$1 gid defs range
  he_resolve defs /etc/login.defs
  [[ -f $defs ]] || defs=/dev/null
  range=$(gawk '$1 == "SYS_GID_MIN" && NF >= 2 { lo = $2 } $1 == "SYS_GID_MAX" && NF >= 2 { hi = $2 }
    END { print (lo == "" ? 201 : lo), (hi == "" ? 999 : hi) }' "$defs")
  gid=$(gawk -F: -v range="$range" 'BEGIN { split(range, r, " ") } { used[$3] = 1 } END {
    for (g = r[2]; g >= r[1]; g--) if (!(g in used)) { print g; exit } }' "$HE_ROOT/etc/group")
  [[ -n $gid ]] || { printf '%s: no free system GID for group %s\n' "$HE_CURRENT" "$name" >&2; return 1; }
  he_edit_file /etc/group -v line="$name:x:$gid:" '{ print } END { print line }'
  he_gshadow_sync_empty "$name"
}

# he_gshadow_consistent GROUP: /etc/gshadow (when the root has one) has an entry for GROUP without members.
he_gshadow_consistent() {
  local real
  he_resolve real /etc/gshadow
  [[ -f $real ]] || return 0
  gawk -F: -v g="$1" '$1 == g { f = 1; if ($4 != "") bad = 1 } END { exit !(f && !bad) }' "$real"
}

# he_gshadow_sync_empty GROUP: /etc/gshadow (when the root has one) holds GROUP with no members, added if missing.
he_gshadow_sync_empty() {
  local real
  he_resolve real /etc/gshadow
  [[ -f $real ]] || return 0
  he_edit_file /etc/gshadow -F: -v OFS=: -v g="$1" '$1 == g { if (found++) next; $4 = "" } { print }
    END { if (!found) print g ":!::" }'
}

# he_su_restricted MODE: su limited to an empty group through pam_wheel (root passes through pam_rootok
# first, so `sudo su -` and the SSM agent keep working).
he_su_restricted() {
  local mode=$1 group members bad=()
  group=$(he_su_wheel_group)
  if [[ -z $group ]]; then
    bad+=("/etc/pam.d/su has no active 'auth required pam_wheel.so use_uid'")
  elif ! members=$(he_group_members "$group"); then
    bad+=("su group $group does not exist")
  elif [[ -n $members ]]; then
    bad+=("su group $group has members: $members")
  elif ! he_gshadow_consistent "$group"; then
    # e.g. a run stopped between the /etc/group and /etc/gshadow writes: make them agree again
    bad+=("su group $group: /etc/gshadow has no entry for it, or lists members")
  fi
  if [[ $mode == audit ]]; then
    he_report_bad "su needs membership of the empty group $group"
    return 0
  fi
  [[ -z $group || $group == wheel ]] && group=$HE_SU_GROUP
  if ! he_group_members "$group" >/dev/null; then he_group_add "$group"; fi
  he_edit_file /etc/group -F: -v OFS=: -v g="$group" '$1 == g { $4 = "" } { print }'
  he_gshadow_sync_empty "$group"
  local real
  he_resolve real /etc/pam.d/su
  he_edit_file "$(he_rel "$real")" -v want="auth            required        pam_wheel.so use_uid group=$group" '
    /^[ \t]*auth[ \t]+[^ \t]+[ \t]+pam_wheel\.so/ && !/trust/ { if (!done) print want; done = 1; next }
    { print }
    /^[ \t]*auth[ \t]+sufficient[ \t]+pam_rootok\.so/ && !done { print want; done = 1 }
    END { if (!done) print want }'
}
