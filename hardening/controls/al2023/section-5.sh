# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016,SC2034  # HE_* globals come from lib/runtime.sh (and are read there); gawk programs in single quotes
# CIS Amazon Linux 2023 v1.0.0 section 5 (logging and auditing): controls that fit no family. Each
# he_ctl_<id> follows the contract in lib/runtime.sh. Helpers shared by this section are named he_s5_*.

# he_s5_report OK-TEXT: report the caller's `bad` array (first three, then a count) or pass with OK-TEXT.
he_s5_report() {
  if [[ ${#bad[@]} -eq 0 ]]; then he_pass "$1"; return 0; fi
  local IFS=';' shown=("${bad[@]:0:3}")
  if [[ ${#bad[@]} -gt 3 ]]; then he_fail "${shown[*]}; and $((${#bad[@]} - 3)) more"; else he_fail "${shown[*]}"; fi
}

# ---- rsyslog ----------------------------------------------------------------------------------
# rsyslog reads /etc/rsyslog.conf top to bottom, expanding `$IncludeConfig GLOB` and `include(file="GLOB")` in
# place (matches in name order). he_rsyslog_stream prints one line per statement: "<file>:<first>-<last><TAB>
# <statement>", with comments dropped and RainerScript statements spanning lines joined.

he_rsyslog_installed() { local f; he_resolve f /etc/rsyslog.conf; [[ -f $f ]]; }

he_rsyslog_file_stream() {
  local path=$1 depth=$2 real loc text pattern f
  he_resolve real "$path"
  [[ -f $real && $depth -lt 8 ]] || return 0
  while IFS=$'\t' read -r loc text; do
    if [[ $loc == INCLUDE ]]; then
      pattern=$text
      [[ $pattern == /* ]] || continue
      for f in "$HE_ROOT"$pattern; do
        [[ -e $f ]] || continue
        if [[ -d $f ]]; then
          local g
          for g in "$f"/*; do [[ -f $g ]] && he_rsyslog_file_stream "$(he_rel "$g")" $((depth + 1)); done
        else
          he_rsyslog_file_stream "$(he_rel "$f")" $((depth + 1))
        fi
      done
    else
      printf '%s\t%s\n' "$loc" "$text"
    fi
  done < <(gawk -v src="$path" '
    function depth(s,   t) { t = s; gsub(/"[^"]*"/, "", t); gsub(/\047[^\047]*\047/, "", t); return gsub(/\(/, "(", t) - gsub(/\)/, ")", t) }
    {
      line = $0; sub(/\r$/, "", line)
      if (open == 0) {
        if (line ~ /^[ \t]*(#|$)/) next
        sub(/^[ \t]+/, "", line); stmt = line; first = FNR
      } else {
        if (line ~ /^[ \t]*#/) next
        sub(/^[ \t]+/, "", line); stmt = stmt " " line
      }
      open += depth(line)
      if (open > 0) next
      open = 0
      if (match(stmt, /^\$IncludeConfig[ \t]+([^ \t]+)/, m)) { print "INCLUDE\t" m[1]; next }
      if (stmt ~ /^include[ \t]*\(/ && match(stmt, /file[ \t]*=[ \t]*"([^"]+)"/, m)) { print "INCLUDE\t" m[1]; next }
      print src ":" first "-" FNR "\t" stmt
    }' "$real")
}

he_rsyslog_stream() { he_rsyslog_file_stream /etc/rsyslog.conf 0; }

# he_rsyslog_needed MODE: rsyslog's configuration exists; otherwise fail (audit) or defer/stop (apply).
# Returns 0 when present, 1 when the caller should stop here.
he_rsyslog_needed() {
  he_rsyslog_installed && return 0
  if [[ $1 == audit ]]; then
    he_fail "rsyslog is not installed (/etc/rsyslog.conf missing: 5.1.1.1)"
  elif he_live; then
    printf '%s: /etc/rsyslog.conf is missing: install rsyslog first (5.1.1.1)\n' "$HE_CURRENT" >&2
    return 2
  else
    he_defer "rsyslog's configuration appears when rsyslog is installed (dnf on a running system, 5.1.1.1)"
  fi
  return 1
}

# he_s5_comment_statements LOCS...: comment out whole statements given as "<file>:<first>-<last>".
he_s5_comment_statements() {
  local loc file range
  for loc in "$@"; do
    file=${loc%:*}
    range=${loc##*:}
    he_edit_file "$file" -v a="${range%-*}" -v b="${range#*-}" -v id="$HE_CURRENT" '
      FNR >= a && FNR <= b && $0 !~ /^[ \t]*#/ { print "# " $0 "  # disabled by CIS hardening " id; next } { print }'
  done
}

# 5.1.1.4: every file rsyslog writes is created 0640 or stricter: the mode in effect for each file action
# (its own fileCreateMode, else the last $FileCreateMode or omfile module default before it, else rsyslog's
# built-in 0644), and a default is set.
he_s5_rsyslog_modes() {
  gawk -F '\t' '
    function loose(m) { return and(strtonum("0" m), strtonum("07137")) != 0 }
    { loc = $1; s = $2 }
    match(s, /^\$FileCreateMode[ \t]+([0-7]+)/, m) { dflt = m[1]; seen = 1; if (loose(dflt)) print "bad-default\t" loc "\t" dflt; next }
    s ~ /^module[ \t]*\(/ && s ~ /load[ \t]*=[ \t]*"builtin:omfile"/ && match(s, /[Ff]ile[Cc]reate[Mm]ode[ \t]*=[ \t]*"([0-7]+)"/, m) {
      dflt = m[1]; seen = 1; if (loose(dflt)) print "bad-default\t" loc "\t" dflt; next }
    s ~ /^(\$|module[ \t]*\(|input[ \t]*\(|global[ \t]*\(|template[ \t]*\(|ruleset[ \t]*\(|main_queue[ \t]*\(|parser[ \t]*\(|lookup_table[ \t]*\(|timezone[ \t]*\()/ { next }
    s ~ /action[ \t]*\(/ && s ~ /type[ \t]*=[ \t]*"omfile"/ {
      if (match(s, /[Ff]ile[Cc]reate[Mm]ode[ \t]*=[ \t]*"([0-7]+)"/, m)) { if (loose(m[1])) print "bad-action\t" loc "\t" m[1] }
      else if (dflt == "" || loose(dflt)) print "loose-file\t" loc "\t" (dflt == "" ? "0644" : dflt)
      files++; next
    }
    { n = split(s, t, /[ \t]+/); last = t[n] }
    last ~ /^-?\// || last ~ /^\?/ { files++; if (dflt == "" || loose(dflt)) print "loose-file\t" loc "\t" (dflt == "" ? "0644" : dflt) }
    END { if (!seen) print "no-default\t-\t-"; print "files\t" files + 0 "\t-" }'
}

he_ctl_5_1_1_4() {
  local mode=$1 stream report kind loc value bad=() rc=0
  he_rsyslog_needed "$mode" || rc=$?
  [[ $rc -eq 0 ]] || { [[ $rc -eq 1 ]] && return 0; return 1; }
  stream=$(he_rsyslog_stream)
  report=$(he_s5_rsyslog_modes <<<"$stream")
  if [[ $mode == audit ]]; then
    while IFS=$'\t' read -r kind loc value; do
      case $kind in
        bad-default) bad+=("$loc sets the file creation mode $value") ;;
        bad-action) bad+=("file action at $loc has fileCreateMode $value") ;;
        loose-file) bad+=("file action at $loc is created $value") ;;
        no-default) bad+=("no \$FileCreateMode is set (rsyslog creates files 0644)") ;;
      esac
    done <<<"$report"
    he_s5_report "rsyslog creates files 0640 or stricter"
    return 0
  fi
  local fixes=()
  while IFS=$'\t' read -r kind loc value; do
    [[ $kind == bad-default || $kind == bad-action ]] && fixes+=("$loc")
  done <<<"$report"
  for loc in "${fixes[@]}"; do
    local range=${loc##*:}
    he_edit_file "${loc%:*}" -v a="${range%-*}" -v b="${range#*-}" '
      FNR >= a && FNR <= b {
        if (sub(/^\$FileCreateMode[ \t]+[0-7]+/, "$FileCreateMode 0640")) { print; next }
        gsub(/[Ff]ile[Cc]reate[Mm]ode[ \t]*=[ \t]*"[0-7]+"/, "fileCreateMode=\"0640\"")
      }
      { print }'
  done
  report=$(he_rsyslog_stream | he_s5_rsyslog_modes)
  if grep -qE '^(loose-file|no-default)' <<<"$report"; then
    # A default before every statement of the main file (and so before every include) covers every action.
    he_edit_file /etc/rsyslog.conf -v id="$HE_CURRENT" '
      !done && $0 !~ /^[ \t]*(#|$)/ { print "# CIS " id ": files rsyslog creates are not readable by others"; print "$FileCreateMode 0640"; done = 1 }
      { print }
      END { if (!done) print "$FileCreateMode 0640" }'
  fi
  he_rsyslog_restart
}

he_rsyslog_restart() {
  if he_live && systemctl is-active --quiet rsyslog; then systemctl restart rsyslog; fi
}

# 5.1.1.6: rsyslog forwards to a remote host (reader and writer shared with AL2: lib/rsyslog_forward.sh; the site
# value is `apply --set remote-log-host=HOST[:PORT]`).
he_ctl_5_1_1_6() {
  local mode=$1 found rc=0
  he_rsyslog_needed "$mode" || rc=$?
  [[ $rc -eq 0 ]] || { [[ $rc -eq 1 ]] && return 0; return 1; }
  found=$(he_rsyslog_stream | he_rsyslog_forward_found)
  if [[ $mode == audit ]]; then
    if [[ -n $found ]]; then he_pass "forwarding at $found"; else he_fail "rsyslog forwards to no remote log host"; fi
    return 0
  fi
  he_rsyslog_forward_write
  he_rsyslog_restart
}

# 5.1.1.7: no network input (imtcp, imudp, imrelp: module loads, inputs and legacy server directives).
he_s5_rsyslog_inputs() {
  gawk -F '\t' '
    $2 ~ /^\$(ModLoad|modload)[ \t]+(im)?(tcp|udp|relp)([ \t]|$)/ { print $1; next }
    $2 ~ /^\$(InputTCPServerRun|UDPServerRun|InputUDPServerRun|InputRELPServerRun)[ \t]/ { print $1; next }
    $2 ~ /^(module|input)[ \t]*\(/ && $2 ~ /(load|type)[ \t]*=[ \t]*"im(tcp|udp|relp)"/ { print $1 }'
}

he_ctl_5_1_1_7() {
  local mode=$1 locs=() rc=0
  he_rsyslog_needed "$mode" || rc=$?
  [[ $rc -eq 0 ]] || { [[ $rc -eq 1 ]] && return 0; return 1; }
  mapfile -t locs < <(he_rsyslog_stream | he_s5_rsyslog_inputs)
  if [[ $mode == audit ]]; then
    if [[ ${#locs[@]} -eq 0 ]]; then he_pass "no imtcp/imudp/imrelp input"; else
      local IFS=' '
      he_fail "network input configured at ${locs[*]}"
    fi
    return 0
  fi
  he_s5_comment_statements "${locs[@]}"
  he_rsyslog_restart
}

# ---- journald ---------------------------------------------------------------------------------
# 5.1.2.1.4: systemd-journal-remote (which receives journals over HTTP) is neither enabled nor socket-started.
he_ctl_5_1_2_1_4() {
  local mode=$1 unit bad=()
  for unit in systemd-journal-remote.socket systemd-journal-remote.service; do
    if he_unit_enabled "$unit"; then bad+=("$unit is enabled"); fi
  done
  if [[ $mode == audit ]]; then
    he_s5_report "systemd-journal-remote is not enabled"
    return 0
  fi
  for unit in systemd-journal-remote.socket systemd-journal-remote.service; do he_unit_mask "$unit"; done
}

# 5.1.2.2: systemd-journald is present and not masked; CIS expects `systemctl is-enabled` to say "static": the
# unit has no [Install] section and sysinit.target pulls it in. Read as systemd does: a static unit is
# neither enabled nor disabled, so no .wants/ link is needed; a unit that has an [Install] section must be
# enabled.
he_s5_unit_is_static() {
  ! gawk '/^[ \t]*\[/ { sect = $0; gsub(/[ \t]/, "", sect); next }
    sect == "[Install]" && /^[ \t]*(WantedBy|RequiredBy|UpheldBy|Alias|Also)[ \t]*=[ \t]*[^ \t]/ { found = 1 }
    END { exit !found }' "$1"
}

he_ctl_5_1_2_2() {
  local mode=$1 file sock bad=() state=""
  he_unit_file file systemd-journald.service
  he_unit_file sock systemd-journald.socket
  if [[ -z $file ]]; then bad+=("systemd-journald.service not found (systemd is not installed under this root)")
  elif [[ $file == masked ]]; then bad+=("systemd-journald.service is masked")
  elif he_s5_unit_is_static "$file"; then state=static
  elif he_unit_enabled systemd-journald.service; then state=enabled
  else bad+=("systemd-journald.service has an [Install] section and is not enabled"); fi
  [[ $sock != masked ]] || bad+=("systemd-journald.socket is masked")
  if [[ ${#bad[@]} -eq 0 ]] && he_live && ! systemctl is-active --quiet systemd-journald.service; then
    bad+=("systemd-journald.service is not running")
  fi
  if [[ $mode == audit ]]; then
    he_s5_report "systemd-journald.service is $state ($(he_rel "$file"))"
    return 0
  fi
  local unit
  for unit in systemd-journald.socket systemd-journald.service; do
    if he_unit_masked "$unit"; then
      if he_live; then systemctl unmask "$unit" >/dev/null; else rm -f -- "$HE_ROOT/etc/systemd/system/$unit"; fi
    fi
  done
  he_unit_file file systemd-journald.service
  if [[ -z $file || $file == masked ]]; then
    return 0  # nothing to enable: the check after this reports why (a unit masked below /etc stays masked)
  fi
  if ! he_s5_unit_is_static "$file" && ! he_unit_enabled systemd-journald.service; then
    he_mkdir /etc/systemd/system/sysinit.target.wants
    ln -sfn -- "${file#"$HE_ROOT"}" "$HE_ROOT/etc/systemd/system/sysinit.target.wants/systemd-journald.service"
  fi
  if he_live; then systemctl start systemd-journald.socket systemd-journald.service; fi
}

# ---- log file permissions ---------------------------------------------------------------------
# 5.1.3: every file under /var/log has at most the mode, owner and group CIS allows for its kind (login
# records 0664 root:utmp, journals 0640 root:systemd-journal, everything else 0640 root:adm). Names are
# resolved through the root's own passwd/group. Prints "path<TAB>mode<TAB>uid<TAB>gid<TAB>new-mode<TAB>
# new-uid<TAB>new-gid<TAB>why" for each file that is off.
he_s5_logfile_offenders() {
  [[ -d $HE_ROOT/var/log ]] || return 0
  find "$HE_ROOT/var/log" -type f -printf '%p\t%m\t%U\t%G\n' |
    gawk -F '\t' -v root="$HE_ROOT" -v passwd="$HE_ROOT/etc/passwd" -v group="$HE_ROOT/etc/group" '
    BEGIN {
      while ((getline l < passwd) > 0) { split(l, a, ":"); uid[a[1]] = a[3] }
      while ((getline l < group) > 0) { split(l, a, ":"); gid[a[1]] = a[3] }
    }
    function ids(names, map,   n, a, i, s) { n = split(names, a, "|"); s = "|"; for (i = 1; i <= n; i++) if (a[i] in map) s = s map[a[i]] "|"; return s }
    {
      path = $1; mode = strtonum("0" $2); u = $3; g = $4
      name = path; sub(/.*\//, "", name)
      if (name ~ /^(lastlog|wtmp|btmp)([.-].*)?$/ || name == "README") { max = "0664"; users = "root"; groups = "root|utmp" }
      else if (name ~ /^(secure|auth\.log|syslog|messages)([.-].*)?$/) { max = "0640"; users = "root|syslog"; groups = "root|adm" }
      else if (name ~ /^(SSSD|sssd)/) { max = "0660"; users = "root|sssd"; groups = "root|sssd" }
      else if (name ~ /^gdm3?/) { max = "0660"; users = "root"; groups = "root|gdm|gdm3" }
      else if (name ~ /\.journal~?$/) { max = "0640"; users = "root"; groups = "root|systemd-journal" }
      else { max = "0640"; users = "root|syslog"; groups = "root|adm" }
      m = strtonum(max); why = ""
      if (and(and(mode, 4095), compl(m)) != 0) why = sprintf("mode %o > %s ", and(mode, 4095), max)
      newmode = and(mode, m)
      nu = u; ng = g
      if (index(ids(users, uid), "|" u "|") == 0) { nu = ("root" in uid) ? uid["root"] : 0; why = why "owner uid " u " not " users " " }
      if (index(ids(groups, gid), "|" g "|") == 0) { ng = ("root" in gid) ? gid["root"] : 0; why = why "group gid " g " not " groups " " }
      if (why != "") { sub(/ $/, "", why); rel = substr(path, length(root) + 1); printf "%s\t%o\t%s\t%s\t%o\t%s\t%s\t%s\n", rel, and(mode, 4095), u, g, newmode, nu, ng, why }
    }'
}

he_ctl_5_1_3() {
  local mode=$1 lines=() entry path cur uid gid nmode nuid ngid why bad=()
  mapfile -t lines < <(he_s5_logfile_offenders)
  if [[ $mode == audit ]]; then
    for entry in "${lines[@]}"; do
      IFS=$'\t' read -r path cur uid gid nmode nuid ngid why <<<"$entry"
      bad+=("$path: $why")
    done
    he_s5_report "every file under /var/log has the mode, owner and group allowed for its kind"
    return 0
  fi
  for entry in "${lines[@]}"; do
    IFS=$'\t' read -r path cur uid gid nmode nuid ngid why <<<"$entry"
    [[ $cur == "$nmode" ]] || chmod "$nmode" -- "$HE_ROOT$path"
    [[ $uid == "$nuid" && $gid == "$ngid" ]] || chown "$nuid:$ngid" -- "$HE_ROOT$path"
  done
}

# ---- auditd -----------------------------------------------------------------------------------
# 5.2.1.3: every boot entry passes audit_backlog_limit=N with N >= 8192.
he_ctl_5_2_1_3() {
  local mode=$1 sources=() entry found bad=()
  he_cmdline_sources sources
  for entry in "${sources[@]}"; do
    found=$(gawk -v kind="${entry#*$'\t'}" "$HE_AWK_CMDLINE"'
      { a = args_of($0, kind); if (a == "\001") next
        if (kind == "default" && $0 ~ /GRUB_CMDLINE_LINUX_DEFAULT/) next
        n = split(a, w, /[ \t]+/); v = ""
        for (i = 1; i <= n; i++) if (w[i] ~ /^audit_backlog_limit=/) v = substr(w[i], 21)
        if (v == "") bad = bad " line " FNR ": not set;"
        else if (v !~ /^[0-9]+$/ || v + 0 < 8192) bad = bad " line " FNR ": " v ";" }
      END { printf "%s", bad }' "${entry%%$'\t'*}")
    [[ -z $found ]] || bad+=("$(he_rel "${entry%%$'\t'*}"):${found%;}")
  done
  if [[ $mode == audit ]]; then
    if [[ ${#sources[@]} -eq 0 ]]; then he_fail "no boot loader configuration found"; return 0; fi
    he_s5_report "audit_backlog_limit >= 8192 on every boot entry"
    return 0
  fi
  he_fam_kernel_arg apply present audit_backlog_limit=8192
}

# 5.2.1.4: auditd is enabled (and running on a live system).
he_ctl_5_2_1_4() {
  local mode=$1 file
  he_unit_file file auditd.service
  if [[ $mode == audit ]]; then
    if [[ -z $file ]]; then he_fail "auditd.service not found (audit not installed: 5.2.1.1)"
    elif [[ $file == masked ]]; then he_fail "auditd.service is masked"
    elif ! he_unit_enabled auditd.service; then he_fail "auditd.service is not enabled"
    elif he_live && ! systemctl is-active --quiet auditd.service; then he_fail "auditd.service is not running"
    else he_pass "auditd.service enabled"; fi
    return 0
  fi
  if [[ -z $file ]] && ! he_live; then he_defer "auditd.service appears when the audit package is installed (5.2.1.1)"; return 0; fi
  he_unit_enable auditd.service multi-user.target
}

# 5.2.2.2: max_log_file_action = keep_logs. EKS guard (see the 5.2.2.3 exception): keep_logs lets the audit
# volume fill, so the actions at low and no space must rotate out the oldest log instead of stopping the node
# (single/halt stop kubelet, containerd and the SSM agent) or stopping auditing (suspend/ignore).
he_ctl_5_2_2_2() {
  local mode=$1 value bad=() key rc=0
  he_auditd_conf_needed "$mode" || rc=$?
  [[ $rc -eq 0 ]] || { [[ $rc -eq 1 ]] && return 0; return 1; }
  he_auditd_conf_value value max_log_file_action
  [[ -z $HE_AUDITD_MALFORMED ]] || bad+=("$HE_AUDITD_CONF line $HE_AUDITD_MALFORMED is not 'name = value'")
  [[ $value == keep_logs ]] || bad+=("max_log_file_action = ${value:-unset} (want keep_logs)")
  for key in admin_space_left_action disk_full_action; do
    he_auditd_conf_value value "$key"
    [[ $value == rotate ]] || bad+=("$key = ${value:-unset} (EKS: want rotate, so a full audit volume neither stops the node nor auditing)")
  done
  if [[ $mode == audit ]]; then
    he_s5_report "max_log_file_action = keep_logs; admin_space_left_action and disk_full_action = rotate"
    return 0
  fi
  [[ -z $HE_AUDITD_MALFORMED ]] || he_auditd_fix_malformed
  he_auditd_conf_value value max_log_file_action
  [[ $value == keep_logs ]] || he_auditd_conf_set max_log_file_action keep_logs
  for key in admin_space_left_action disk_full_action; do
    he_auditd_conf_value value "$key"
    [[ $value == rotate ]] || he_auditd_conf_set "$key" rotate
  done
  he_auditd_reload
}

# 5.2.2.3 (excepted on EKS, audited for evidence): space_left_action email|exec|single|halt, action_mail_acct
# root, admin_space_left_action single|halt.
he_ctl_5_2_2_3() {
  local mode=$1 value bad=() rc=0
  if [[ $mode != audit ]]; then
    printf '%s: excepted on EKS (hardening/exceptions.yaml): single/halt would take the node down\n' "$HE_CURRENT" >&2
    return 1
  fi
  he_auditd_conf_needed "$mode" || rc=$?
  [[ $rc -eq 0 ]] || return 0
  he_auditd_conf_value value space_left_action
  [[ $value =~ ^(email|exec|single|halt)( |$) ]] || bad+=("space_left_action = ${value:-unset}")
  he_auditd_conf_value value action_mail_acct
  [[ ${value:-root} == root ]] || bad+=("action_mail_acct = $value")
  he_auditd_conf_value value admin_space_left_action
  [[ $value =~ ^(single|halt)$ ]] || bad+=("admin_space_left_action = ${value:-unset}")
  he_s5_report "space_left_action, action_mail_acct and admin_space_left_action as CIS asks"
}

# ---- audit rules ------------------------------------------------------------------------------
# Required rules are generated for the root's architecture: b64 and b32 on x86_64, b64 on aarch64 (whose
# native table lacks the legacy calls open, creat, chmod, ... that auditctl would reject).
HE_S5_NOT_ON_AARCH64=" open creat rename unlink chmod chown lchown create_module query_module "

# he_s5_syscall_rules ARCHES SYSCALLS FILTERS KEY: one rule per architecture (ARCHES "b64 b32" or "b64").
he_s5_syscall_rules() {
  local arches=$1 syscalls=$2 filters=$3 key=$4 arch target sc list
  target=$(he_target_arch)
  for arch in $arches; do
    [[ $target == aarch64 && $arch == b32 ]] && continue
    list=""
    for sc in ${syscalls//,/ }; do
      [[ $target == aarch64 && $HE_S5_NOT_ON_AARCH64 == *" $sc "* ]] && continue
      list+="${list:+,}$sc"
    done
    [[ -n $list ]] || continue
    printf '%s\n' "-a always,exit -F arch=$arch -S $list${filters:+ $filters} -k $key"
  done
}

he_s5_user_filter() { printf '%s' "-F auid>=$(he_uid_min) -F auid!=unset"; }

# he_s5_sudo_logfile: the effective `Defaults logfile=` of sudoers and its includes (last wins), or "".
he_s5_sudo_logfile() {
  local files=(/etc/sudoers) f real out="" value
  local i=0
  while [[ $i -lt ${#files[@]} && $i -lt 64 ]]; do
    f=${files[$i]}
    i=$((i + 1))
    he_resolve real "$f"
    [[ -f $real ]] || continue
    while IFS=$'\t' read -r kind value; do
      case $kind in
        logfile) out=$value ;;
        include) files+=("$value") ;;
        includedir)
          local g
          for g in "$HE_ROOT$value"/*; do
            [[ -f $g && ${g##*/} != *~ && ${g##*/} != *.* ]] && files+=("$(he_rel "$g")")
          done ;;
      esac
    done < <(gawk '
      /^[ \t]*[#@]include(dir)?[ \t]/ { kind = ($1 ~ /dir$/) ? "includedir" : "include"; print kind "\t" $2; next }
      /^[ \t]*#/ { next }
      /^[ \t]*Defaults([ \t]|$)/ && match($0, /logfile[ \t]*=[ \t]*("([^"]+)"|([^ \t,]+))/, m) { print "logfile\t" (m[2] != "" ? m[2] : m[3]) }' "$real")
  done
  printf '%s' "$out"
}

# he_s5_required ID: the rules control ID requires, one per line.
he_s5_required() {
  local users
  users=$(he_s5_user_filter)
  case $1 in
    5.2.3.1) printf '%s\n' "-w /etc/sudoers -p wa -k scope" "-w /etc/sudoers.d -p wa -k scope" ;;
    5.2.3.2) he_s5_syscall_rules "b64 b32" execve "-C euid!=uid -F auid!=unset" user_emulation ;;
    5.2.3.3)
      local log
      log=$(he_s5_sudo_logfile)
      [[ -n $log ]] && printf '%s\n' "-w $log -p wa -k sudo_log_file" ;;
    5.2.3.4)
      he_s5_syscall_rules "b64 b32" adjtimex,settimeofday,clock_settime "" time-change
      printf '%s\n' "-w /etc/localtime -p wa -k time-change" ;;
    5.2.3.5)
      he_s5_syscall_rules "b64 b32" sethostname,setdomainname "" system-locale
      printf '%s\n' "-w /etc/issue -p wa -k system-locale" "-w /etc/issue.net -p wa -k system-locale" \
        "-w /etc/hosts -p wa -k system-locale" "-w /etc/hostname -p wa -k system-locale" \
        "-w /etc/sysconfig/network -p wa -k system-locale" "-w /etc/sysconfig/network-scripts -p wa -k system-locale" \
        "-w /etc/NetworkManager -p wa -k system-locale" ;;
    5.2.3.7)
      he_s5_syscall_rules "b64 b32" creat,open,openat,truncate,ftruncate "-F exit=-EACCES $users" access
      he_s5_syscall_rules "b64 b32" creat,open,openat,truncate,ftruncate "-F exit=-EPERM $users" access ;;
    5.2.3.8)
      local f
      for f in /etc/group /etc/passwd /etc/gshadow /etc/shadow /etc/security/opasswd; do
        printf '%s\n' "-w $f -p wa -k identity"
      done ;;
    5.2.3.9)
      he_s5_syscall_rules "b64 b32" chmod,fchmod,fchmodat "$users" perm_mod
      he_s5_syscall_rules "b64 b32" chown,fchown,lchown,fchownat "$users" perm_mod
      he_s5_syscall_rules "b64 b32" setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr "$users" perm_mod ;;
    5.2.3.10) he_s5_syscall_rules "b64 b32" mount "$users" mounts ;;
    5.2.3.11) printf '%s\n' "-w /var/run/utmp -p wa -k session" "-w /var/log/wtmp -p wa -k session" "-w /var/log/btmp -p wa -k session" ;;
    5.2.3.12) printf '%s\n' "-w /var/log/lastlog -p wa -k logins" "-w /var/run/faillock -p wa -k logins" ;;
    5.2.3.13) he_s5_syscall_rules "b64 b32" unlink,unlinkat,rename,renameat "$users" delete ;;
    5.2.3.14) printf '%s\n' "-w /etc/selinux -p wa -k MAC-policy" "-w /usr/share/selinux -p wa -k MAC-policy" ;;
    5.2.3.15) printf '%s\n' "-a always,exit -F path=/usr/bin/chcon -F perm=x $users -k perm_chng" ;;
    5.2.3.16) printf '%s\n' "-a always,exit -F path=/usr/bin/setfacl -F perm=x $users -k perm_chng" ;;
    5.2.3.17) printf '%s\n' "-a always,exit -F path=/usr/bin/chacl -F perm=x $users -k perm_chng" ;;
    5.2.3.18) printf '%s\n' "-a always,exit -F path=/usr/sbin/usermod -F perm=x $users -k usermod" ;;
    5.2.3.19)
      he_s5_syscall_rules b64 init_module,finit_module,delete_module,create_module,query_module "$users" kernel_modules
      printf '%s\n' "-a always,exit -F path=/usr/bin/kmod -F perm=x $users -k kernel_modules" ;;
  esac
}

# he_s5_rules_ctl MODE FILE: the audit/apply of a control whose rules he_s5_required lists; FILE is the
# rules.d file that receives the missing ones.
he_s5_rules_ctl() {
  local mode=$1 file=$2 required=() problems
  mapfile -t required < <(he_s5_required "$HE_CURRENT")
  if [[ ${#required[@]} -eq 0 ]]; then
    if [[ $HE_CURRENT == 5.2.3.3 ]]; then
      if [[ $mode == audit ]]; then he_fail "sudo has no logfile (Defaults logfile=, set by 4.3.3): nothing to watch"; return 0; fi
      he_die "$HE_CURRENT: sudo has no logfile to watch: configure one (4.3.3) or exclude $HE_CURRENT"
    fi
    if [[ $mode == audit ]]; then he_na "nothing to audit on this system"; fi
    return 0
  fi
  if [[ $mode == audit ]]; then
    he_audit_rules_check problems "${required[@]}"
    if [[ -z $problems ]]; then he_pass "${#required[@]} rules in effect (rules.d)"; else he_fail "$(he_audit_problems_text "$problems")"; fi
    return 0
  fi
  if [[ ! -d $HE_ROOT/etc/audit/rules.d ]]; then
    if he_live; then printf '%s: /etc/audit/rules.d is missing: install audit (5.2.1.1)\n' "$HE_CURRENT" >&2; return 1; fi
    he_defer "/etc/audit/rules.d appears when the audit package is installed (5.2.1.1)"
    return 0
  fi
  he_audit_rules_apply "$file" "${required[@]}"
}

he_ctl_5_2_3_1() { he_s5_rules_ctl "$1" 50-scope.rules; }
he_ctl_5_2_3_2() { he_s5_rules_ctl "$1" 50-user_emulation.rules; }
he_ctl_5_2_3_3() { he_s5_rules_ctl "$1" 50-sudo.rules; }
he_ctl_5_2_3_4() { he_s5_rules_ctl "$1" 50-time-change.rules; }
he_ctl_5_2_3_5() { he_s5_rules_ctl "$1" 50-system_locale.rules; }
he_ctl_5_2_3_7() { he_s5_rules_ctl "$1" 50-access.rules; }
he_ctl_5_2_3_8() { he_s5_rules_ctl "$1" 50-identity.rules; }
he_ctl_5_2_3_9() { he_s5_rules_ctl "$1" 50-perm_mod.rules; }
he_ctl_5_2_3_10() { he_s5_rules_ctl "$1" 50-mounts.rules; }
he_ctl_5_2_3_11() { he_s5_rules_ctl "$1" 50-session.rules; }
he_ctl_5_2_3_12() { he_s5_rules_ctl "$1" 50-login.rules; }
he_ctl_5_2_3_13() { he_s5_rules_ctl "$1" 50-delete.rules; }
he_ctl_5_2_3_14() { he_s5_rules_ctl "$1" 50-MAC-policy.rules; }
he_ctl_5_2_3_15() { he_s5_rules_ctl "$1" 50-perm_chng.rules; }
he_ctl_5_2_3_16() { he_s5_rules_ctl "$1" 50-perm_chng.rules; }
he_ctl_5_2_3_17() { he_s5_rules_ctl "$1" 50-perm_chng.rules; }
he_ctl_5_2_3_18() { he_s5_rules_ctl "$1" 50-usermod.rules; }
he_ctl_5_2_3_19() { he_s5_rules_ctl "$1" 50-kernel_modules.rules; }

# 5.2.3.20: the last -e augenrules keeps is `-e 2` (and, on a running system, the kernel is locked).
he_ctl_5_2_3_20() {
  local mode=$1 last
  last=$(he_audit_rule_stream | gawk -F '\t' '$2 ~ /^[ \t]*-e[ \t]/ { split($2, t, /[ \t]+/); v = (t[1] == "") ? t[3] : t[2]; last = v "\t" $1 }
    END { printf "%s", last }')
  if [[ $mode == audit ]]; then
    if [[ -z $last ]]; then he_fail "no -e flag in /etc/audit/rules.d (rules stay changeable)"
    elif [[ ${last%%$'\t'*} != 2 ]]; then he_fail "the last -e is ${last%%$'\t'*} at ${last#*$'\t'} (want 2)"
    elif he_live && command -v auditctl >/dev/null && ! auditctl -s | grep -q '^enabled 2'; then
      he_fail "-e 2 is on disk but the loaded rules are not locked (auditctl -s)"
    else he_pass "-e 2 is last (${last#*$'\t'})"; fi
    return 0
  fi
  if [[ ! -d $HE_ROOT/etc/audit/rules.d ]]; then
    if he_live; then printf '%s: /etc/audit/rules.d is missing: install audit (5.2.1.1)\n' "$HE_CURRENT" >&2; return 1; fi
    he_defer "/etc/audit/rules.d appears when the audit package is installed (5.2.1.1)"
    return 0
  fi
  local f files=()
  he_audit_rule_files files
  for f in "${files[@]}"; do
    if grep -qE '^[[:space:]]*-e[[:space:]]+[^2[:space:]]' "$f"; then
      he_edit_file "$(he_rel "$f")" -v id="$HE_CURRENT" '
        /^[ \t]*-e[ \t]+/ && $2 != "2" { print "# " $0 "  # disabled by CIS hardening " id " (-e 2 is last)"; next } { print }'
    fi
  done
  HE_NEW_MODE=0640 he_write_file /etc/audit/rules.d/99-finalize.rules "## CIS ${HE_CURRENT}: make the audit configuration immutable (changes need a reboot)
-e 2"
  he_audit_load
}

# ---- audit file and tool permissions ----------------------------------------------------------
# he_s5_attr_check MODE ATTR ALLOWED FILE...: ATTR mode (ALLOWED: the most permissive octal mode), owner or
# group (ALLOWED: "|"-separated names from the root's passwd/group; apply uses the first).
he_s5_attr_check() {
  local mode=$1 attr=$2 allowed=$3 f st cur ids="|" name id bad=() first_id=""
  shift 3
  if [[ $attr != mode ]]; then
    for name in ${allowed//|/ }; do
      if [[ $attr == owner ]]; then id=$(he_uid "$name") || continue; else id=$(he_gid "$name") || continue; fi
      ids+="$id|"
      [[ -n $first_id ]] || first_id=$id
    done
  fi
  for f in "$@"; do
    [[ -e $f ]] || continue
    case $attr in
      mode)
        cur=$(stat -c '%a' -- "$f")
        if (((8#$cur & ~8#$allowed & 8#7777) != 0)); then
          if [[ $mode == audit ]]; then bad+=("$(he_rel "$f") mode $cur"); else chmod "$(printf '%o' $((8#$cur & 8#$allowed)))" -- "$f"; fi
        fi ;;
      owner | group)
        if [[ $attr == owner ]]; then st='%u'; else st='%g'; fi
        cur=$(stat -c "$st" -- "$f")
        if [[ $ids != *"|$cur|"* ]]; then
          if [[ $mode == audit ]]; then bad+=("$(he_rel "$f") $attr id $cur")
          elif [[ $attr == owner ]]; then chown "$first_id" -- "$f"
          else chgrp "$first_id" -- "$f"; fi
        fi ;;
    esac
  done
  if [[ $mode == audit ]]; then
    local what="$attr ${allowed//|/ or }"
    [[ $attr == mode ]] && what="mode $allowed or stricter"
    if [[ $# -eq 0 ]]; then he_na "no files"; else he_s5_report "$# files: $what"; fi
  fi
}

# he_s5_audit_log_dir: the directory of auditd's log_file (under the root).
he_s5_audit_log_dir() {
  local value log
  he_auditd_conf_value value log_file
  log=${value:-/var/log/audit/audit.log}
  # he_auditd_conf_value lowercases values; a path keeps its case in the file.
  [[ -z $value ]] || log=$(gawk -v loc="${HE_AUDITD_LOC##*:}" 'FNR == loc { sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t\r]+$/, ""); print }' \
    "$HE_ROOT$HE_AUDITD_CONF")
  printf '%s' "$HE_ROOT${log%/*}"
}

he_s5_audit_logs() {
  local -n __logs=$1
  local dir
  dir=$(he_s5_audit_log_dir)
  __logs=()
  [[ -d $dir ]] || return 0
  mapfile -t __logs < <(find "$dir" -maxdepth 1 -type f | LC_ALL=C sort)
}

he_s5_audit_conf_files() {
  local -n __conf=$1
  __conf=()
  [[ -d $HE_ROOT/etc/audit ]] || return 0
  mapfile -t __conf < <(find "$HE_ROOT/etc/audit" -type f \( -name '*.conf' -o -name '*.rules' \) | LC_ALL=C sort)
}

HE_S5_AUDIT_TOOLS=(/usr/sbin/auditctl /usr/sbin/aureport /usr/sbin/ausearch /usr/sbin/autrace /usr/sbin/auditd
  /usr/sbin/augenrules)

he_s5_audit_tools() {
  local -n __tools=$1
  local tool real
  __tools=()
  for tool in "${HE_S5_AUDIT_TOOLS[@]}"; do
    he_resolve real "$tool"
    [[ -e $real ]] && __tools+=("$real")
  done
  return 0
}

he_ctl_5_2_4_1() { local logs; he_s5_audit_logs logs; he_s5_attr_check "$1" mode 0640 "${logs[@]}"; }
he_ctl_5_2_4_2() { local logs; he_s5_audit_logs logs; he_s5_attr_check "$1" owner root "${logs[@]}"; }

# 5.2.4.3: log_group is root or adm, and so is the group of every audit log.
he_ctl_5_2_4_3() {
  local mode=$1 logs value rc=0
  he_auditd_conf_needed "$mode" || rc=$?
  [[ $rc -eq 0 ]] || { [[ $rc -eq 1 ]] && return 0; return 1; }
  he_s5_audit_logs logs
  he_auditd_conf_value value log_group
  if [[ $mode == audit ]]; then
    if [[ -n $value && $value != root && $value != adm ]]; then he_fail "log_group = $value at $HE_AUDITD_LOC"; return 0; fi
    he_s5_attr_check audit group "root|adm" "${logs[@]}"
    return 0
  fi
  [[ -z $value || $value == root || $value == adm ]] || he_auditd_conf_set log_group root
  he_s5_attr_check apply group "root|adm" "${logs[@]}"
  he_auditd_reload
}

he_ctl_5_2_4_4() {
  local mode=$1 dir
  dir=$(he_s5_audit_log_dir)
  if [[ ! -d $dir ]]; then
    [[ $mode == audit ]] && he_fail "audit log directory $(he_rel "$dir") is missing (audit not installed: 5.2.1.1)"
    [[ $mode == audit ]] || { he_live && return 1; he_defer "the audit log directory appears with the audit package (5.2.1.1)"; }
    return 0
  fi
  he_s5_attr_check "$mode" mode 0750 "$dir"
}

he_ctl_5_2_4_5() { local conf_files; he_s5_audit_conf_files conf_files; he_s5_attr_check "$1" mode 0640 "${conf_files[@]}"; }
he_ctl_5_2_4_6() { local conf_files; he_s5_audit_conf_files conf_files; he_s5_attr_check "$1" owner root "${conf_files[@]}"; }
he_ctl_5_2_4_7() { local conf_files; he_s5_audit_conf_files conf_files; he_s5_attr_check "$1" group root "${conf_files[@]}"; }
he_ctl_5_2_4_8() { local tools; he_s5_audit_tools tools; he_s5_attr_check "$1" mode 0755 "${tools[@]}"; }
he_ctl_5_2_4_9() { local tools; he_s5_audit_tools tools; he_s5_attr_check "$1" owner root "${tools[@]}"; }
he_ctl_5_2_4_10() { local tools; he_s5_audit_tools tools; he_s5_attr_check "$1" group root "${tools[@]}"; }
