# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2 v3.0.0 section 5: logging (rsyslog, journald), auditing (auditd, audit rules, audit file
# permissions) and file integrity (AIDE). Controls that fit no family; each he_ctl_<id> follows the contract in
# lib/runtime.sh. EKS decisions: see hardening/catalog/al2/section-5.yaml. Helpers are prefixed he_al2l_.

# ---- shared helpers -----------------------------------------------------------------------------

# he_al2l_report OK_TEXT: pass with OK_TEXT when the caller's array `bad` is empty, else fail with it.
he_al2l_report() {
  if [[ ${#bad[@]} -eq 0 ]]; then
    he_pass "$1"
  else
    local IFS=';'
    he_fail "${bad[*]}"
  fi
}

# he_al2l_unit MODE UNIT TARGET: UNIT is enabled (a .wants/ link, not masked); apply enables it.
he_al2l_unit() {
  local mode=$1 unit=$2 target=$3 file
  he_unit_file file "$unit"
  if [[ $mode == audit ]]; then
    if [[ -z $file ]]; then he_fail "$unit is not installed"
    elif [[ $file == masked ]]; then he_fail "$unit is masked"
    elif he_unit_enabled "$unit"; then he_pass "$unit enabled"
    else he_fail "$unit is not enabled"
    fi
    return 0
  fi
  if [[ -z $file ]]; then
    he_defer "$unit is not installed: install its package first"
    he_live && return 1
    return 0
  fi
  he_unit_enable "$unit" "$target"
}

# he_al2l_perm_problems REAL MAXMODE OWNER GROUPS: what is wrong with REAL (GROUPS "|"-separated names).
he_al2l_perm_problems() {
  local real=$1 max=$2 owner=$3 groups=$4 st cur uid gid g is_ok=0 out=()
  st=$(stat -c '%a %u %g' -- "$real")
  read -r cur uid gid <<<"$st"
  ((8#$cur & ~8#$max & 8#7777)) && out+=("mode $cur exceeds $max")
  [[ $uid == "$(he_uid "$owner")" ]] || out+=("owner uid $uid, want $owner")
  local IFS='|'
  for g in $groups; do
    [[ $gid == "$(he_gid "$g" 2>/dev/null || printf x)" ]] && is_ok=1
  done
  [[ $is_ok == 1 ]] || out+=("group gid $gid, want $groups")
  IFS=','
  printf '%s' "${out[*]}"
}

# he_al2l_perm_fix REAL MAXMODE OWNER GROUPS: drop extra mode bits, chown to OWNER and (when the group is not
# allowed) to the first of GROUPS.
he_al2l_perm_fix() {
  local real=$1 max=$2 owner=$3 groups=$4 st cur uid gid
  st=$(stat -c '%a %u %g' -- "$real")
  read -r cur uid gid <<<"$st"
  ((8#$cur & ~8#$max & 8#7777)) && chmod "$(printf '%o' $((8#$cur & 8#$max)))" -- "$real"
  [[ $uid == "$(he_uid "$owner")" ]] || chown "$(he_uid "$owner")" -- "$real"
  if [[ $(he_al2l_perm_problems "$real" 7777 "$owner" "$groups") == *group* ]]; then
    chgrp "$(he_gid "${groups%%|*}")" -- "$real"
  fi
}

# he_al2l_paths MODE MAXMODE OWNER GROUPS PATH...: every existing PATH (symlinks followed) within MAXMODE,
# owned by OWNER, group among GROUPS. Missing paths are skipped; none at all is not applicable.
he_al2l_paths() {
  local mode=$1 max=$2 owner=$3 groups=$4 p real problems count=0 bad=()
  shift 4
  for p in "$@"; do
    he_resolve real "$p"
    [[ -e $real ]] || continue
    count=$((count + 1))
    if [[ $mode == audit ]]; then
      problems=$(he_al2l_perm_problems "$real" "$max" "$owner" "$groups")
      [[ -z $problems ]] || bad+=("$p: $problems")
    else
      he_al2l_perm_fix "$real" "$max" "$owner" "$groups"
    fi
  done
  [[ $mode == audit ]] || return 0
  if [[ $count == 0 ]]; then he_na "none of $* exists"; return 0; fi
  he_al2l_report "$count files within $max, $owner:${groups//|/ or }"
}

# ---- 5.1.1 rsyslog ------------------------------------------------------------------------------
HE_RSYSLOG_CONF=/etc/rsyslog.conf

# he_al2l_rsyslog_files VAR: rsyslog.conf and the files its IncludeConfig/include() directives read, in the
# order rsyslog reads them (globs sorted, one level of nesting per call depth up to 4), as real paths.
he_al2l_rsyslog_files() {
  local __rf=() __rf_rc=0
  he__he_al2l_rsyslog_files_fill "$@" || __rf_rc=$?
  he_set_array "$1" "${__rf[@]}"
  return "$__rf_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_al2l_rsyslog_files_fill fills __rf, a local of he_al2l_rsyslog_files, which copies it to $1.
he__he_al2l_rsyslog_files_fill() {
  __rf=()
  he_al2l_rsyslog_walk "$HE_RSYSLOG_CONF" 0
}
he_al2l_rsyslog_walk() {
  local path=$1 depth=$2 real pattern f
  [[ $depth -lt 4 ]] || return 0
  he_resolve real "$path"
  [[ -f $real ]] || return 0
  __rf+=("$real")
  while IFS= read -r pattern; do
    [[ -n $pattern ]] || continue
    for f in $HE_ROOT$pattern; do
      [[ -f $f ]] && he_al2l_rsyslog_walk "${f#"$HE_ROOT"}" $((depth + 1))
    done
  done < <(gawk '
    /^[ \t]*#/ { next }
    /^[ \t]*\$IncludeConfig[ \t]+/ { print $2; next }
    match($0, /include\([^)]*file="([^"]+)"/, m) { print m[1] }' "$real")
  return 0
}

# he_al2l_rsyslog_lines: "<file>:<line>\t<text>" of every active line of the effective configuration.
he_al2l_rsyslog_lines() {
  local files=() f
  he_al2l_rsyslog_files files
  for f in "${files[@]}"; do
    gawk '/^[ \t]*(#|$)/ { next } { sub(/\r$/, ""); print FILENAME ":" FNR "\t" $0 }' "$f"
  done
}

# 5.1.1.2 rsyslog.service enabled.
he_ctl_5_1_1_2() { he_al2l_unit "$1" rsyslog.service multi-user.target; }

# 5.1.1.4 files rsyslog creates are 0640 or stricter: every $FileCreateMode (legacy) and FileCreateMode=
# (RainerScript) is, and one is set before the first action that writes a file.
he_ctl_5_1_1_4() {
  local mode=$1 lines bad=() first_action="" first_mode="" loc text v
  lines=$(he_al2l_rsyslog_lines)
  while IFS=$'\t' read -r loc text; do
    [[ -n $loc ]] || continue
    v=""
    if [[ $text =~ ^[[:space:]]*\$FileCreateMode[[:space:]]+([0-7]+) ]]; then v=${BASH_REMATCH[1]}
    elif [[ $text =~ [Ff]ile[Cc]reate[Mm]ode=\"([0-7]+)\" ]]; then v=${BASH_REMATCH[1]}
    fi
    if [[ -n $v ]]; then
      if ((8#$v & ~8#0640)); then bad+=("$(he_rel "$loc"): FileCreateMode $v")
      elif [[ -z $first_mode ]]; then first_mode=$loc
      fi
    elif [[ -z $first_action && $text =~ ^[^\$]*[[:space:]]-?/[^[:space:]]+[[:space:]]*$ && ! $text =~ ^[[:space:]]*(module|input|\$) ]]; then
      first_action=$loc
    fi
  done <<<"$lines"
  if [[ $mode == audit ]]; then
    if [[ -z $first_mode && ${#bad[@]} -eq 0 ]]; then bad+=("FileCreateMode is not set (rsyslog's default is 0644)"); fi
    if [[ -n $first_mode && -n $first_action ]] && ! he_al2l_before "$first_mode" "$first_action" "$lines"; then
      bad+=("FileCreateMode at $(he_rel "$first_mode") comes after the first file action at $(he_rel "$first_action")")
    fi
    he_al2l_report "FileCreateMode 0640 or stricter ($(he_rel "$first_mode"))"
    return 0
  fi
  for loc in $(printf '%s\n' "${bad[@]}" | gawk -F': ' '{ print $1 }' | LC_ALL=C sort -t: -k1,1 -k2,2nr); do
    he_neutralize_line "$HE_ROOT${loc%:*}" "${loc##*:}" /etc/rsyslog.d
  done
  # First directive of rsyslog.conf, so it precedes every action, including those of included files.
  he_edit_file "$HE_RSYSLOG_CONF" -v id="$HE_CURRENT" '
    !done && /^[ \t]*\$FileCreateMode[ \t]+0?[0-6][0-4]0[ \t]*$/ { done = 1 }
    !done && !/^[ \t]*(#|$)/ { print "# " id ": files rsyslog creates are 0640 (CIS hardening)"; print "$FileCreateMode 0640"; done = 1 }
    { print }
    END { if (!done) print "$FileCreateMode 0640" }'
}

# he_al2l_before LOC_A LOC_B LINES: LOC_A comes before LOC_B in the reading order LINES.
he_al2l_before() {
  gawk -F '\t' -v a="$1" -v b="$2" '$1 == a { print "a"; exit } $1 == b { print "b"; exit }' <<<"$3" | grep -qx a
}

# 5.1.1.5 logging configured: the facilities CIS lists are written to a file (emergencies to every user) at
# info or more verbose. A selector's ".none" for a facility removes it from that line ("*.info;authpriv.none").
HE_AL2L_LOG_RULES=(
  'auth,authpriv.info|auth,authpriv.* /var/log/secure'
  'cron.info|cron.* /var/log/cron'
  'mail.info|mail.* -/var/log/maillog'
  'kern,daemon,syslog,user,local0,local1,local2,local3,local4,local5,local6,local7.info|*.info;mail.none;authpriv.none;cron.none /var/log/messages'
  '*.emerg|*.emerg :omusrmsg:*'
)
he_ctl_5_1_1_5() {
  local mode=$1 lines rule want missing=() bad=() gaps
  lines=$(he_al2l_rsyslog_lines)
  for rule in "${HE_AL2L_LOG_RULES[@]}"; do
    want=${rule%%|*}
    gaps=$(gawk -F '\t' -v want="$want" '
      function rank(p) {
        sub(/^[=!]+/, "", p)
        if (p == "*" || p == "debug") return 7
        if (p == "info") return 6; if (p == "notice") return 5; if (p ~ /^warn/) return 4; if (p ~ /^err/) return 3
        if (p == "crit") return 2; if (p == "alert") return 1; if (p ~ /^(emerg|panic)$/) return 0
        return -1
      }
      BEGIN { wf = want; wp = want; sub(/\.[^.]*$/, "", wf); sub(/^.*\./, "", wp); nf = split(wf, facs, ",") }
      {
        t = $2; sub(/^[ \t]+/, "", t)
        if (t ~ /^(\$|module|input|template|if |action|global|&|:)/) next
        sel = t; sub(/[ \t].*/, "", sel); dest = t; sub(/^[^ \t]+[ \t]+/, "", dest)
        if (dest == "" || dest == t || dest ~ /^(~|stop)$/) next
        n = split(sel, parts, ";"); delete none
        for (i = 1; i <= n; i++) if (parts[i] ~ /\.none$/) { f = parts[i]; sub(/\.none$/, "", f); split(f, nl, ","); for (k in nl) none[nl[k]] = 1 }
        for (i = 1; i <= n; i++) {
          if (parts[i] ~ /\.none$/ || parts[i] ~ /\.!/) continue
          f = parts[i]; p = f; sub(/\..*$/, "", f); sub(/^[^.]*\./, "", p)
          if (rank(p) < rank(wp)) continue
          split(f, fl, ",")
          for (j = 1; j <= nf; j++) for (k in fl) if ((fl[k] == facs[j] || fl[k] == "*") && !(facs[j] in none)) got[j] = 1
        }
      }
      END { for (j = 1; j <= nf; j++) if (!got[j]) printf "%s%s", (out++ ? "," : ""), facs[j] }' <<<"$lines")
    if [[ -n $gaps ]]; then
      bad+=("nothing logs $gaps at ${want##*.} or more verbose")
      missing+=("${rule#*|}")
    fi
  done
  if [[ $mode == audit ]]; then
    he_al2l_report "auth, authpriv, cron, mail, info and emerg messages are logged"
    return 0
  fi
  local file=/etc/rsyslog.d/60-cis-logging.conf content m
  content="# CIS ${HE_CURRENT}: messages rsyslog must log (written by cis-harden.sh)"
  [[ -f $HE_ROOT$file ]] && content=$(cat -- "$HE_ROOT$file")
  for m in "${missing[@]}"; do grep -qxF -- "$m" <<<"$content" || content+=$'\n'"$m"; done
  HE_NEW_MODE=0640 he_write_file "$file" "$content"
  he_al2l_rsyslog_include
  he_al2l_rsyslog_restart
}

# he_al2l_rsyslog_include: rsyslog.conf reads /etc/rsyslog.d/*.conf (it does on Amazon Linux 2; restored if
# someone removed the directive).
he_al2l_rsyslog_include() {
  local real
  he_resolve real "$HE_RSYSLOG_CONF"
  if ! gawk '/^[ \t]*\$IncludeConfig[ \t]+\/etc\/rsyslog\.d\/\*\.conf/ || /^[ \t]*include\(.*file="\/etc\/rsyslog\.d\/\*\.conf"/ { f = 1 } END { exit !f }' "$real" 2>/dev/null; then
    he_edit_file "$HE_RSYSLOG_CONF" '{ print } END { print "$IncludeConfig /etc/rsyslog.d/*.conf" }'
  fi
}

he_al2l_rsyslog_restart() {
  he_live || return 0
  rsyslogd -N1 >/dev/null 2>&1 || { printf '%s: rsyslogd -N1 rejects the configuration\n' "$HE_CURRENT" >&2; return 1; }
  if systemctl is-active -q rsyslog.service 2>/dev/null; then systemctl restart rsyslog.service; fi
}

# 5.1.1.6 rsyslog forwards to the site's log host (reader and writer shared with AL2023: lib/rsyslog_forward.sh;
# rsyslog 8.24 understands the omfwd action() it writes). The site value is `apply --set remote-log-host=...`.
he_ctl_5_1_1_6() {
  local mode=$1 found
  found=$(he_al2l_rsyslog_lines | he_rsyslog_forward_found)
  if [[ $mode == audit ]]; then
    if [[ -n $found ]]; then he_pass "forwarding at $(he_rel "${found%% -> *}") -> ${found#* -> }"
    else he_fail "rsyslog forwards to no remote log host"
    fi
    return 0
  fi
  he_rsyslog_forward_write
  he_al2l_rsyslog_include
  he_al2l_rsyslog_restart
}

# 5.1.1.7 rsyslog does not accept remote messages: no imtcp/imudp/imrelp input is loaded or started.
he_ctl_5_1_1_7() {
  local mode=$1 lines loc text found=()
  lines=$(he_al2l_rsyslog_lines)
  while IFS=$'\t' read -r loc text; do
    [[ -n $loc ]] || continue
    if [[ $text =~ ^[[:space:]]*\$(ModLoad[[:space:]]+(imtcp|imudp|imrelp)|InputTCPServerRun|UDPServerRun|InputRELPServerRun) ]] ||
      [[ $text =~ (module|input)\(.*(load|type)=\"(imtcp|imudp|imrelp)\" ]]; then
      found+=("$loc")
    fi
  done <<<"$lines"
  if [[ $mode == audit ]]; then
    local bad=() l
    for l in "${found[@]}"; do bad+=("remote input at $(he_rel "$l")"); done
    he_al2l_report "no imtcp, imudp or imrelp input"
    return 0
  fi
  for loc in $(printf '%s\n' "${found[@]}" | LC_ALL=C sort -t: -k1,1 -k2,2nr); do
    he_neutralize_line "${loc%:*}" "${loc##*:}" /etc/rsyslog.d
  done
  he_al2l_rsyslog_restart
}

# ---- 5.1.2 journald -----------------------------------------------------------------------------

# he_al2l_rsyslog_is_the_logger: rsyslog is installed and enabled (on Amazon Linux 2 it reads the journal through
# imjournal, and 5.1.1.3 makes journald forward to it), so the journald remote-logging controls 5.1.2.1.x do
# not apply: CIS asks for one logging method.
he_al2l_rsyslog_is_the_logger() {
  he_any_exists /usr/sbin/rsyslogd && he_unit_enabled rsyslog.service
}

# 5.1.2.1.1 systemd-journal-remote installed, when journald is the logging method.
he_ctl_5_1_2_1_1() {
  local mode=$1
  if he_al2l_rsyslog_is_the_logger; then
    [[ $mode == audit ]] && he_na "rsyslog is the logging method (journald forwards to it): 5.1.1 applies instead"
    return 0
  fi
  he_fam_package_installed "$mode" systemd-journal-remote /usr/lib/systemd/systemd-journal-upload
}

# 5.1.2.1.3 systemd-journal-upload enabled, when journald is the logging method.
he_ctl_5_1_2_1_3() {
  local mode=$1
  if he_al2l_rsyslog_is_the_logger; then
    [[ $mode == audit ]] && he_na "rsyslog is the logging method (journald forwards to it): 5.1.1 applies instead"
    return 0
  fi
  he_al2l_unit "$mode" systemd-journal-upload.service multi-user.target
}

# 5.1.2.1.4 journald does not receive remote logs: systemd-journal-remote's socket and service are not enabled.
he_ctl_5_1_2_1_4() {
  local mode=$1 unit file bad=()
  for unit in systemd-journal-remote.socket systemd-journal-remote.service; do
    he_unit_file file "$unit"
    [[ -n $file && $file != masked ]] || continue
    if he_unit_enabled "$unit"; then
      if [[ $mode == audit ]]; then bad+=("$unit is enabled"); else he_unit_mask "$unit"; fi
    fi
  done
  [[ $mode == audit ]] && he_al2l_report "systemd-journal-remote is not listening (not installed, disabled or masked)"
  return 0
}

# 5.1.2.2 systemd-journald.service enabled: it is a static unit, so "enabled" means present and not masked.
he_ctl_5_1_2_2() {
  local mode=$1 file
  he_unit_file file systemd-journald.service
  if [[ $mode == audit ]]; then
    if [[ -z $file ]]; then he_fail "systemd-journald.service not found"
    elif [[ $file == masked ]]; then he_fail "systemd-journald.service is masked"
    else he_pass "systemd-journald.service present and not masked (static)"
    fi
    return 0
  fi
  if [[ -L $HE_ROOT/etc/systemd/system/systemd-journald.service ]]; then
    rm -f -- "$HE_ROOT/etc/systemd/system/systemd-journald.service"
  fi
  if he_live; then systemctl unmask systemd-journald.service; systemctl start systemd-journald.service; fi
}

# 5.1.4 log files: every regular file under /var/log within the mode and owners CIS allows for its kind.
# Container log files under /var/log/pods are the kubelet's (0640 root:root); they are checked like the rest.
he_al2l_logfile_rule() {
  # prints "MAXMODE OWNERS GROUPS" for a path relative to the root
  case ${1##*/} in
    lastlog | lastlog.* | wtmp | wtmp.* | wtmp-* | btmp | btmp.* | btmp-* | README) printf '0664 root root|utmp' ;;
    secure | secure-* | secure.* | auth.log | syslog | messages | messages-* | messages.*) printf '0640 root|syslog root|adm' ;;
    SSSD | sssd) printf '0660 root|SSSD root|SSSD' ;;
    gdm | gdm3) printf '0660 root root|gdm|gdm3' ;;
    *.journal | *.journal~) printf '0640 root root|systemd-journal' ;;
    *) printf '0640 root|syslog root|adm' ;;
  esac
}
# he_al2l_in_ids ID NAMES: numeric ID belongs to one of NAMES ("|"-separated) via LOOKUP (he_uid or he_gid).
he_al2l_in_ids() {
  local id=$1 allowed=$2 lookup=$3 n
  for n in ${allowed//|/ }; do
    [[ $id == "$($lookup "$n" 2>/dev/null || printf x)" ]] && return 0
  done
  return 1
}
he_ctl_5_1_4() {
  local mode=$1 f rel max owners groups cur uid gid n=0 bad=() problems
  [[ -d $HE_ROOT/var/log ]] || { [[ $mode == audit ]] && he_na "/var/log does not exist"; return 0; }
  while IFS= read -r -d '' f; do
    n=$((n + 1))
    rel=${f#"$HE_ROOT"}
    read -r max owners groups <<<"$(he_al2l_logfile_rule "$rel")"
    read -r cur uid gid <<<"$(stat -c '%a %u %g' -- "$f")"
    problems=()
    ((8#$cur & ~8#$max & 8#7777)) && problems+=("mode $cur exceeds $max")
    he_al2l_in_ids "$uid" "$owners" he_uid || problems+=("owner uid $uid, want ${owners//|/ or }")
    he_al2l_in_ids "$gid" "$groups" he_gid || problems+=("group gid $gid, want ${groups//|/ or }")
    [[ ${#problems[@]} -gt 0 ]] || continue
    if [[ $mode == audit ]]; then
      bad+=("$rel: ${problems[*]}")
      continue
    fi
    ((8#$cur & ~8#$max & 8#7777)) && chmod "$(printf '%o' $((8#$cur & 8#$max)))" -- "$f"
    he_al2l_in_ids "$uid" "$owners" he_uid || chown "$(he_uid root)" -- "$f"
    he_al2l_in_ids "$gid" "$groups" he_gid || chgrp "$(he_gid root)" -- "$f"
  done < <(find "$HE_ROOT/var/log" -xdev -type f -print0 | LC_ALL=C sort -z)
  [[ $mode == audit ]] || return 0
  if [[ ${#bad[@]} -gt 3 ]]; then
    local more=$((${#bad[@]} - 3))
    bad=("${bad[@]:0:3}" "and $more more")
  fi
  he_al2l_report "$n files under /var/log within their allowed mode and owners"
}

# ---- 5.2.1 auditd and the kernel command line ---------------------------------------------------

# 5.2.1.3 audit_backlog_limit >= 8192 on every kernel command line source that sets arguments.
HE_AL2L_BACKLOG_MIN=8192
he_ctl_5_2_1_3() {
  local mode=$1 sources=() entry file kind found bad=()
  he_cmdline_sources sources
  if [[ ${#sources[@]} -eq 0 ]]; then
    [[ $mode == audit ]] && he_fail "no boot loader configuration found"
    return 0
  fi
  for entry in "${sources[@]}"; do
    file=${entry%%$'\t'*}
    kind=${entry#*$'\t'}
    found=$(gawk -v kind="$kind" -v min="$HE_AL2L_BACKLOG_MIN" "$HE_AWK_CMDLINE"'
      { a = args_of($0, kind); if (a == "\001") next
        if (kind == "default" && $0 ~ /GRUB_CMDLINE_LINUX_DEFAULT/) next
        v = ""; n = split(a, w, /[ \t]+/)
        for (i = 1; i <= n; i++) if (w[i] ~ /^audit_backlog_limit=/) { v = w[i]; sub(/^[^=]*=/, "", v) }
        if (v == "" || v !~ /^[0-9]+$/ || v + 0 < min + 0) bad = bad " " FNR (v == "" ? "" : "(" v ")") }
      END { if (bad != "") print "audit_backlog_limit missing or below " min " at line" bad }' "$file")
    [[ -z $found ]] || bad+=("$(he_rel "$file"): $found")
  done
  if [[ $mode == audit ]]; then
    he_al2l_report "audit_backlog_limit >= $HE_AL2L_BACKLOG_MIN on every kernel command line"
    return 0
  fi
  he_fam_kernel_arg apply present "audit_backlog_limit=$HE_AL2L_BACKLOG_MIN"
}

# 5.2.1.4 auditd.service enabled.
he_ctl_5_2_1_4() { he_al2l_unit "$1" auditd.service multi-user.target; }

# ---- 5.2.2 auditd.conf --------------------------------------------------------------------------
HE_AUDITD_CONF=/etc/audit/auditd.conf

# he_al2l_auditd_value KEY: the value auditd reads for KEY (the last assignment; keys are case-insensitive,
# values compared in lower case by the callers).
he_al2l_auditd_value() {
  local real
  he_resolve real "$HE_AUDITD_CONF"
  [[ -f $real ]] || return 0
  gawk -v key="$1" '
    /^[ \t]*(#|$)/ { next }
    { line = $0; sub(/\r$/, "", line); k = line; sub(/[ \t]*=.*/, "", k); sub(/^[ \t]+/, "", k) }
    tolower(k) == tolower(key) && line ~ /=/ { v = line; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v) }
    END { printf "%s", v }' "$real"
}

# he_al2l_auditd_set KEY VALUE: KEY = VALUE once in auditd.conf (first assignment replaced, later ones dropped).
he_al2l_auditd_set() {
  local real
  he_resolve real "$HE_AUDITD_CONF"
  HE_NEW_MODE=0640 he_edit_file "$(he_rel "$real")" -v key="$1" -v val="$2" '
    !/^[ \t]*(#|$)/ { k = $0; sub(/[ \t]*=.*/, "", k); sub(/^[ \t]+/, "", k)
      if (tolower(k) == tolower(key) && $0 ~ /=/) { if (!done) print key " = " val; done = 1; next } }
    { print }
    END { if (!done) print key " = " val }'
}

# he_al2l_auditd MODE KEY ALLOWED FIX: KEY's value (lower case) is one of ALLOWED ("|"-separated; "N+" means
# a positive integer).
he_al2l_auditd() {
  local mode=$1 key=$2 allowed=$3 fix=$4 v
  v=$(he_al2l_auditd_value "$key")
  local is_ok=0
  if [[ $allowed == N+ ]]; then
    [[ $v =~ ^[0-9]+$ ]] && ((v > 0)) && is_ok=1
  elif [[ "|$allowed|" == *"|${v,,}|"* ]]; then
    is_ok=1
  fi
  if [[ $mode == audit ]]; then
    HE_AL2L_AUDITD_OK=$is_ok
    HE_AL2L_AUDITD_TEXT="$key = ${v:-(unset)}"
    return 0
  fi
  [[ $is_ok == 1 ]] || he_al2l_auditd_set "$key" "$fix"
}

# he_al2l_auditd_keys MODE KEY:ALLOWED:FIX...: every KEY complies; reports all of them.
he_al2l_auditd_keys() {
  local mode=$1 spec key allowed fix bad=() good=()
  shift
  if [[ $mode == audit && ! -f $HE_ROOT$HE_AUDITD_CONF && ! -L $HE_ROOT$HE_AUDITD_CONF ]]; then
    he_fail "$HE_AUDITD_CONF does not exist (audit is not installed)"
    return 0
  fi
  for spec in "$@"; do
    IFS=: read -r key allowed fix <<<"$spec"
    he_al2l_auditd "$mode" "$key" "$allowed" "$fix"
    [[ $mode == audit ]] || continue
    if [[ $HE_AL2L_AUDITD_OK == 1 ]]; then good+=("$HE_AL2L_AUDITD_TEXT"); else bad+=("$HE_AL2L_AUDITD_TEXT (want ${allowed//N+/a positive number})"); fi
  done
  if [[ $mode == audit ]]; then
    local IFS=';'
    he_al2l_report "${good[*]}"
    return 0
  fi
  if he_live && systemctl is-active -q auditd.service 2>/dev/null; then service auditd reload >/dev/null || true; fi
}

# 5.2.2.1 max_log_file is set (MB; site policy, 8 by default).
he_ctl_5_2_2_1() { he_al2l_auditd_keys "$1" "max_log_file:N+:32"; }
# 5.2.2.2 audit logs are kept, not rotated away.
he_ctl_5_2_2_2() { he_al2l_auditd_keys "$1" "max_log_file_action:keep_logs:keep_logs"; }
# 5.2.2.3 a full or failing audit disk stops the system. An EKS exception (exceptions.yaml: single stops kubelet,
# halt the instance): on EKS the audit only reports the values; the fix is what CIS asks, for other uses.
he_ctl_5_2_2_3() {
  he_al2l_auditd_keys "$1" "disk_full_action:halt|single:single" "disk_error_action:syslog|single|halt:syslog"
}
# 5.2.2.4 warnings when space runs low: email at space_left, single user mode at admin_space_left.
he_ctl_5_2_2_4() {
  he_al2l_auditd_keys "$1" "space_left_action:email|exec|single|halt:email" "admin_space_left_action:single|halt:single"
}

# ---- 5.2.3 audit rules --------------------------------------------------------------------------
# Required rules in auditctl syntax, compared by meaning by lib/audit_rules.sh. Placeholders: @ARCHS@ expands
# to b64 and b32 (32-bit syscalls reach a 64-bit kernel too), @UID_MIN@ to UID_MIN from login.defs.

# he_al2l_rules VAR RULE...: VAR (array) becomes RULEs with the placeholders expanded.
he_al2l_rules() {
  local __rules=() __rules_rc=0
  he__he_al2l_rules_fill "$@" || __rules_rc=$?
  he_set_array "$1" "${__rules[@]}"
  return "$__rules_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_al2l_rules_fill fills __rules, a local of he_al2l_rules, which copies it to $1.
he__he_al2l_rules_fill() {
  shift
  local r a uid_min
  uid_min=$(he_uid_min)
  __rules=()
  for r in "$@"; do
    r=${r//@UID_MIN@/$uid_min}
    if [[ $r == *@ARCH@* ]]; then
      for a in b64 b32; do __rules+=("${r//@ARCH@/$a}"); done
    else
      __rules+=("$r")
    fi
  done
}

# he_al2l_audit_rules MODE FILE RULE...: every RULE is in effect; apply adds the missing ones to rules.d/FILE.
he_al2l_audit_rules() {
  local mode=$1 file=$2 rules=() problems
  shift 2
  he_al2l_rules rules "$@"
  if [[ $mode == audit ]]; then
    if [[ ! -d $HE_ROOT/etc/audit/rules.d ]]; then he_fail "/etc/audit/rules.d does not exist (audit is not installed)"; return 0; fi
    he_audit_rules_check problems "${rules[@]}"
    if [[ -z $problems ]]; then he_pass "${#rules[@]} audit rules in effect ($file)"; else he_fail "$(he_audit_problems_text "$problems")"; fi
    return 0
  fi
  he_audit_rules_apply "$file" "${rules[@]}"
}

he_ctl_5_2_3_1() {
  he_al2l_audit_rules "$1" 50-scope.rules "-w /etc/sudoers -p wa -k scope" "-w /etc/sudoers.d -p wa -k scope"
}
he_ctl_5_2_3_2() {
  he_al2l_audit_rules "$1" 50-user_emulation.rules \
    "-a always,exit -F arch=@ARCH@ -C euid!=uid -F auid!=unset -S execve -k user_emulation"
}
# 5.2.3.3 the sudo log file: the logfile sudo is configured with (5.x of section 4 sets /var/log/sudo.log).
he_ctl_5_2_3_3() {
  local logfile
  logfile=$(he_al2l_sudo_logfile)
  if [[ -z $logfile ]]; then
    [[ $1 == audit ]] && he_fail "sudo has no logfile set (4.3.3), so there is no sudo log file to watch"
    return 0
  fi
  he_al2l_audit_rules "$1" 50-sudo.rules "-w $logfile -p wa -k sudo_log_file"
}
# he_al2l_sudo_logfile: the Defaults logfile= of /etc/sudoers and /etc/sudoers.d (last one wins).
he_al2l_sudo_logfile() {
  local files=() f
  [[ -f $HE_ROOT/etc/sudoers ]] && files+=("$HE_ROOT/etc/sudoers")
  for f in "$HE_ROOT"/etc/sudoers.d/*; do
    [[ -f $f && ${f##*/} != *.* && ${f##*/} != *~ ]] && files+=("$f")
  done
  [[ ${#files[@]} -gt 0 ]] || return 0
  gawk '/^[ \t]*Defaults([ \t]|$)/ && match($0, /logfile[ \t]*=[ \t]*"?([^", \t]+)/, m) { v = m[1] } END { printf "%s", v }' "${files[@]}"
}
he_ctl_5_2_3_4() {
  he_al2l_audit_rules "$1" 50-time-change.rules \
    "-a always,exit -F arch=@ARCH@ -S adjtimex,settimeofday,clock_settime -k time-change" \
    "-w /etc/localtime -p wa -k time-change"
}
he_ctl_5_2_3_5() {
  he_al2l_audit_rules "$1" 50-system_locale.rules \
    "-a always,exit -F arch=@ARCH@ -S sethostname,setdomainname -k system-locale" \
    "-w /etc/issue -p wa -k system-locale" "-w /etc/issue.net -p wa -k system-locale" \
    "-w /etc/hosts -p wa -k system-locale" "-w /etc/sysconfig/network -p wa -k system-locale" \
    "-w /etc/sysconfig/network-scripts -p wa -k system-locale"
}
he_ctl_5_2_3_7() {
  he_al2l_audit_rules "$1" 50-access.rules \
    "-a always,exit -F arch=@ARCH@ -S creat,open,openat,truncate,ftruncate -F exit=-EACCES -F auid>=@UID_MIN@ -F auid!=unset -k access" \
    "-a always,exit -F arch=@ARCH@ -S creat,open,openat,truncate,ftruncate -F exit=-EPERM -F auid>=@UID_MIN@ -F auid!=unset -k access"
}
he_ctl_5_2_3_8() {
  he_al2l_audit_rules "$1" 50-identity.rules \
    "-w /etc/group -p wa -k identity" "-w /etc/passwd -p wa -k identity" "-w /etc/gshadow -p wa -k identity" \
    "-w /etc/shadow -p wa -k identity" "-w /etc/security/opasswd -p wa -k identity"
}
he_ctl_5_2_3_9() {
  he_al2l_audit_rules "$1" 50-perm_mod.rules \
    "-a always,exit -F arch=@ARCH@ -S chmod,fchmod,fchmodat -F auid>=@UID_MIN@ -F auid!=unset -k perm_mod" \
    "-a always,exit -F arch=@ARCH@ -S chown,fchown,lchown,fchownat -F auid>=@UID_MIN@ -F auid!=unset -k perm_mod" \
    "-a always,exit -F arch=@ARCH@ -S setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F auid>=@UID_MIN@ -F auid!=unset -k perm_mod"
}
he_ctl_5_2_3_10() {
  he_al2l_audit_rules "$1" 50-mounts.rules \
    "-a always,exit -F arch=@ARCH@ -S mount -F auid>=@UID_MIN@ -F auid!=unset -k mounts"
}
he_ctl_5_2_3_11() {
  he_al2l_audit_rules "$1" 50-session.rules \
    "-w /var/run/utmp -p wa -k session" "-w /var/log/wtmp -p wa -k session" "-w /var/log/btmp -p wa -k session"
}
he_ctl_5_2_3_12() {
  he_al2l_audit_rules "$1" 50-login.rules \
    "-w /var/log/lastlog -p wa -k logins" "-w /var/run/faillock -p wa -k logins"
}
he_ctl_5_2_3_13() {
  he_al2l_audit_rules "$1" 50-delete.rules \
    "-a always,exit -F arch=@ARCH@ -S unlink,unlinkat,rename,renameat -F auid>=@UID_MIN@ -F auid!=unset -k delete"
}
he_ctl_5_2_3_14() {
  he_al2l_audit_rules "$1" 50-MAC-policy.rules \
    "-w /etc/selinux -p wa -k MAC-policy" "-w /usr/share/selinux -p wa -k MAC-policy"
}
he_ctl_5_2_3_15() {
  he_al2l_audit_rules "$1" 50-perm_chng.rules \
    "-a always,exit -F path=/usr/bin/chcon -F perm=x -F auid>=@UID_MIN@ -F auid!=unset -k perm_chng"
}
he_ctl_5_2_3_16() {
  he_al2l_audit_rules "$1" 50-perm_chng.rules \
    "-a always,exit -F path=/usr/bin/setfacl -F perm=x -F auid>=@UID_MIN@ -F auid!=unset -k perm_chng"
}
he_ctl_5_2_3_17() {
  he_al2l_audit_rules "$1" 50-perm_chng.rules \
    "-a always,exit -F path=/usr/bin/chacl -F perm=x -F auid>=@UID_MIN@ -F auid!=unset -k perm_chng"
}
he_ctl_5_2_3_18() {
  he_al2l_audit_rules "$1" 50-usermod.rules \
    "-a always,exit -F path=/usr/sbin/usermod -F perm=x -F auid>=@UID_MIN@ -F auid!=unset -k usermod"
}
he_ctl_5_2_3_19() {
  he_al2l_audit_rules "$1" 50-kernel_modules.rules \
    "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module,create_module,query_module -F auid>=@UID_MIN@ -F auid!=unset -k kernel_modules" \
    "-a always,exit -F path=/usr/bin/kmod -F perm=x -F auid>=@UID_MIN@ -F auid!=unset -k kernel_modules"
}

# 5.2.3.20 the audit configuration is immutable: the last -e of the rules augenrules loads is "-e 2".
he_ctl_5_2_3_20() {
  local mode=$1 stream last loc
  stream=$(he_audit_rule_stream)
  last=$(gawk -F '\t' '$2 ~ /^[ \t]*-e[ \t]/ { v = $2; l = $1 } END { if (l != "") { gsub(/[ \t]+/, " ", v); print l "\t" v } }' <<<"$stream")
  if [[ $mode == audit ]]; then
    if [[ ! -d $HE_ROOT/etc/audit/rules.d ]]; then he_fail "/etc/audit/rules.d does not exist (audit is not installed)"
    elif [[ ${last#*$'\t'} =~ ^\ ?-e\ 2\ *$ ]]; then he_pass "-e 2 at ${last%%$'\t'*}"
    elif [[ -z $last ]]; then he_fail "no -e 2 in /etc/audit/rules.d"
    else he_fail "the last enable flag is '${last#*$'\t'}' at ${last%%$'\t'*}"
    fi
    return 0
  fi
  # Other -e lines after ours would win: comment out every -e that is not 2, then make 99-finalize.rules end with -e 2.
  while IFS= read -r loc; do
    [[ -n $loc ]] || continue
    he_edit_file "${loc%:*}" -v n="${loc##*:}" -v id="$HE_CURRENT" \
      'FNR == n { print "# " $0 "  # disabled by CIS hardening " id; next } { print }'
  done < <(gawk -F '\t' '$2 ~ /^[ \t]*-e[ \t]/ && $2 !~ /^[ \t]*-e[ \t]+2[ \t]*$/ { print $1 }' <<<"$stream" | LC_ALL=C sort -t: -k1,1 -k2,2nr)
  stream=$(he_audit_rule_stream)
  last=$(gawk -F '\t' '$2 ~ /^[ \t]*-e[ \t]/ { l = $1 } END { print l }' <<<"$stream")
  if [[ -z $last ]]; then
    HE_NEW_MODE=0640 he_write_file /etc/audit/rules.d/99-finalize.rules "## CIS ${HE_CURRENT}: audit rules cannot change until reboot"$'\n'"-e 2"
  fi
  he_audit_load
}

# ---- 5.2.4 audit files --------------------------------------------------------------------------

# he_al2l_audit_log_dir: the directory of auditd's log_file (default /var/log/audit).
he_al2l_audit_log_file() {
  local v
  v=$(he_al2l_auditd_value log_file)
  printf '%s' "${v:-/var/log/audit/audit.log}"
}

# he_al2l_audit_logs VAR: the audit log files (log_file and its rotations).
he_al2l_audit_logs() {
  local __al=() __al_rc=0
  he__he_al2l_audit_logs_fill "$@" || __al_rc=$?
  he_set_array "$1" "${__al[@]}"
  return "$__al_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_al2l_audit_logs_fill fills __al, a local of he_al2l_audit_logs, which copies it to $1.
he__he_al2l_audit_logs_fill() {
  local log dir f
  log=$(he_al2l_audit_log_file)
  dir=${log%/*}
  __al=()
  for f in "$HE_ROOT$dir"/*; do
    [[ -f $f && ${f##*/} == "${log##*/}"* ]] && __al+=("${f#"$HE_ROOT"}")
  done
  return 0
}

he_ctl_5_2_4_1() {
  local log
  log=$(he_al2l_audit_log_file)
  he_al2l_paths "$1" 0750 root root "${log%/*}"
}
he_ctl_5_2_4_2() {
  local logs=()
  he_al2l_audit_logs logs
  if [[ ${#logs[@]} -eq 0 ]]; then [[ $1 == audit ]] && he_na "no audit log files yet"; return 0; fi
  he_al2l_audit_log_perm "$1" 0640 mode "audit log files" "${logs[@]}"
}
# he_al2l_audit_log_perm MODE MAXMODE WHAT LABEL PATH...: one aspect (mode, owner or group) of the audit logs, so the
# three controls report and fix only their own.
he_al2l_audit_log_perm() {
  local mode=$1 max=$2 what=$3 label=$4 p real problems bad=() group
  shift 4
  group=$(he_al2l_auditd_value log_group)
  group=${group:-root}
  for p in "$@"; do
    he_resolve real "$p"
    problems=$(he_al2l_perm_problems "$real" "$max" root "root|$group")
    case $what in
      mode) problems=$(grep -o 'mode [0-9]* exceeds [0-9]*' <<<"$problems" || true) ;;
      owner) problems=$(grep -o 'owner uid [0-9]*, want [a-z]*' <<<"$problems" || true) ;;
      group) problems=$(grep -o 'group gid [0-9]*, want [a-z|]*' <<<"$problems" || true) ;;
    esac
    [[ -n $problems ]] || continue
    if [[ $mode == audit ]]; then bad+=("$p: $problems"); continue; fi
    case $what in
      mode) chmod "$(printf '%o' $((8#$(stat -c %a -- "$real") & 8#$max)))" -- "$real" ;;
      owner) chown "$(he_uid root)" -- "$real" ;;
      group) chgrp "$(he_gid root)" -- "$real" ;;
    esac
  done
  [[ $mode == audit ]] && he_al2l_report "$# $label: $what ok"
  return 0
}
he_ctl_5_2_4_3() {
  local logs=()
  he_al2l_audit_logs logs
  if [[ ${#logs[@]} -eq 0 ]]; then [[ $1 == audit ]] && he_na "no audit log files yet"; return 0; fi
  he_al2l_audit_log_perm "$1" 7777 owner "audit log files" "${logs[@]}"
}
# 5.2.4.4 group root or auditd's log_group; log_group itself must be root or adm.
he_ctl_5_2_4_4() {
  local mode=$1 logs=() group
  group=$(he_al2l_auditd_value log_group)
  if [[ -n $group && ! ${group,,} =~ ^(root|adm)$ ]]; then
    if [[ $mode == audit ]]; then he_fail "log_group = $group (want root or adm)"; return 0; fi
    he_al2l_auditd_set log_group root
  fi
  he_al2l_audit_logs logs
  if [[ ${#logs[@]} -eq 0 ]]; then [[ $mode == audit ]] && he_na "no audit log files yet"; return 0; fi
  he_al2l_audit_log_perm "$mode" 7777 group "audit log files (log_group ${group:-root})" "${logs[@]}"
}

# he_al2l_audit_conf_files VAR: auditd.conf, audit.rules and the rules.d and plugins files.
he_al2l_audit_conf_files() {
  local __acf=() __acf_rc=0
  he__he_al2l_audit_conf_files_fill "$@" || __acf_rc=$?
  he_set_array "$1" "${__acf[@]}"
  return "$__acf_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_al2l_audit_conf_files_fill fills __acf, a local of he_al2l_audit_conf_files, which copies it to $1.
he__he_al2l_audit_conf_files_fill() {
  __acf=()
  local f
  while IFS= read -r -d '' f; do __acf+=("${f#"$HE_ROOT"}"); done < <(
    find "$HE_ROOT/etc/audit" -type f \( -name '*.conf' -o -name '*.rules' \) -print0 2>/dev/null | LC_ALL=C sort -z)
  return 0
}
he_al2l_audit_conf() {
  local files=()
  he_al2l_audit_conf_files files
  if [[ ${#files[@]} -eq 0 ]]; then [[ $1 == audit ]] && he_fail "no audit configuration under /etc/audit (audit is not installed)"; return 0; fi
  he_al2l_audit_log_perm "$1" "$2" "$3" "audit configuration files" "${files[@]}"
}
he_ctl_5_2_4_5() { he_al2l_audit_conf "$1" 0640 mode; }
he_ctl_5_2_4_6() { he_al2l_audit_conf "$1" 7777 owner; }
# Configuration files belong to group root only (log_group applies to logs, not configuration).
he_ctl_5_2_4_7() {
  local files=() f real bad=()
  he_al2l_audit_conf_files files
  if [[ ${#files[@]} -eq 0 ]]; then [[ $1 == audit ]] && he_fail "no audit configuration under /etc/audit"; return 0; fi
  for f in "${files[@]}"; do
    he_resolve real "$f"
    [[ $(stat -c %g -- "$real") == "$(he_gid root)" ]] && continue
    if [[ $1 == audit ]]; then bad+=("$f: group gid $(stat -c %g -- "$real"), want root"); else chgrp "$(he_gid root)" -- "$real"; fi
  done
  [[ $1 == audit ]] && he_al2l_report "${#files[@]} audit configuration files belong to group root"
  return 0
}

HE_AL2L_AUDIT_TOOLS=(auditctl aureport ausearch autrace auditd augenrules)
# he_al2l_tool_paths VAR: VAR (array) becomes the audit tools present, each once: /sbin/X, or /usr/sbin/X on a
# root whose /sbin is a directory rather than the usual link to usr/sbin.
he_al2l_tool_paths() {
  local __tp=() __tp_rc=0
  he__he_al2l_tool_paths_fill "$@" || __tp_rc=$?
  he_set_array "$1" "${__tp[@]}"
  return "$__tp_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_al2l_tool_paths_fill fills __tp, a local of he_al2l_tool_paths, which copies it to $1.
he__he_al2l_tool_paths_fill() {
  local t d dirs=(/sbin /usr/sbin)
  __tp=()
  [[ ! $HE_ROOT/sbin -ef $HE_ROOT/usr/sbin ]] || dirs=(/sbin)
  for t in "${HE_AL2L_AUDIT_TOOLS[@]}"; do
    for d in "${dirs[@]}"; do
      if he_any_exists "$d/$t"; then __tp+=("$d/$t"); break; fi
    done
  done
}
# he_al2l_no_tools MODE: no audit tool under the root: fail (audit), or wait for 5.2.1.1 to install audit.
he_al2l_no_tools() {
  if [[ $1 == audit ]]; then he_fail "no audit tools found in /sbin or /usr/sbin (audit is not installed)"
  elif ! he_live; then he_defer "the audit tools appear when the audit package is installed (5.2.1.1, yum on a running system)"; fi
  return 0
}
he_al2l_tools() {
  local tools=()
  he_al2l_tool_paths tools
  if [[ ${#tools[@]} -eq 0 ]]; then he_al2l_no_tools "$1"; return 0; fi
  he_al2l_audit_log_perm "$1" "$2" "$3" "audit tools" "${tools[@]}"
}
he_ctl_5_2_4_8() { he_al2l_tools "$1" 0755 mode; }
he_ctl_5_2_4_9() { he_al2l_tools "$1" 7777 owner; }
he_ctl_5_2_4_10() {
  local t real bad=() tools=()
  he_al2l_tool_paths tools
  if [[ ${#tools[@]} -eq 0 ]]; then he_al2l_no_tools "$1"; return 0; fi
  for t in "${tools[@]}"; do
    he_resolve real "$t"
    [[ $(stat -c %g -- "$real") == "$(he_gid root)" ]] && continue
    if [[ $1 == audit ]]; then bad+=("$t: group gid $(stat -c %g -- "$real"), want root"); else chgrp "$(he_gid root)" -- "$real"; fi
  done
  [[ $1 == audit ]] && he_al2l_report "${#tools[@]} audit tools belong to group root"
  return 0
}

# ---- 5.3 AIDE -----------------------------------------------------------------------------------
HE_AIDE_DB=/var/lib/aide/aide.db.gz

# 5.3.1 AIDE installed and its database initialised.
he_ctl_5_3_1() {
  local mode=$1
  if [[ $mode == audit ]]; then
    if ! he_any_exists /usr/sbin/aide; then he_fail "aide is not installed (no /usr/sbin/aide)"
    elif ! he_any_exists "$HE_AIDE_DB"; then he_fail "aide is installed but has no database ($HE_AIDE_DB)"
    else he_pass "aide installed, database $HE_AIDE_DB"
    fi
    return 0
  fi
  if ! he_live; then
    he_defer "installing aide and building its database (aide --init) need a running system"
    return 0
  fi
  he_any_exists /usr/sbin/aide || he_dnf install aide
  aide --init >/dev/null
  mv -f /var/lib/aide/aide.db.new.gz "$HE_AIDE_DB"
}

# 5.3.2 a periodic aide --check: an enabled aidecheck timer, or a cron entry (crontab, cron.d, root's crontab,
# cron.daily/weekly scripts).
he_ctl_5_3_2() {
  local mode=$1 f found=""
  if he_unit_enabled aidecheck.timer && he_unit_file f aidecheck.service && [[ -n $f && $f != masked ]]; then
    found="aidecheck.timer enabled"
  else
    for f in "$HE_ROOT"/etc/crontab "$HE_ROOT"/etc/cron.d/* "$HE_ROOT"/var/spool/cron/root "$HE_ROOT"/etc/cron.daily/* "$HE_ROOT"/etc/cron.weekly/*; do
      [[ -f $f ]] || continue
      if gawk '/^[ \t]*#/ { next } /aide([ \t]+[^ \t]+)*[ \t]+(--check|-C)([ \t]|$)/ { f = 1 } END { exit !f }' "$f"; then
        found="aide --check scheduled in $(he_rel "$f")"
        break
      fi
    done
  fi
  if [[ $mode == audit ]]; then
    if [[ -n $found ]]; then he_pass "$found"; else he_fail "no scheduled aide --check (cron or aidecheck.timer)"; fi
    return 0
  fi
  HE_NEW_MODE=0600 he_write_file /etc/cron.d/cis-aide "# CIS ${HE_CURRENT}: daily file integrity check (written by cis-harden.sh)"$'\n'"0 5 * * * root /usr/sbin/aide --check"
}
