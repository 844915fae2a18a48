# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2 v3.0.0 section 2 (services): controls that fit no family. Helpers he_collect and
# he_report_collected come from section-1.sh of this benchmark.

# ---- 2.1 chrony -------------------------------------------------------------------------------------------
HE_AL2I_TIME_SOURCE='server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4'

# 2.1.1 chrony installed and chronyd enabled.
he_ctl_2_1_1() {
  local mode=$1
  if ! he_any_exists /usr/sbin/chronyd; then
    if [[ $mode == audit ]]; then he_fail "chrony not installed (no /usr/sbin/chronyd)"; return 0; fi
    if he_live; then he_dnf install chrony; else he_defer "installing chrony needs yum on a running system"; return 0; fi
  fi
  if he_unit_enabled chronyd.service; then
    [[ $mode == audit ]] && he_pass "chrony installed; chronyd.service enabled"
    return 0
  fi
  if [[ $mode == audit ]]; then
    if he_unit_masked chronyd.service; then he_fail "chronyd.service masked"; else he_fail "chronyd.service not enabled"; fi
    return 0
  fi
  he_unit_enable chronyd.service multi-user.target
}

# he_al2i_chrony_files: /etc/chrony.conf and the files it pulls in (include GLOB, confdir DIR/*.conf,
# sourcedir DIR/*.sources), one level deep as chronyd reads them; one path under the root per line.
he_al2i_chrony_files() {
  local conf f kw arg
  he_resolve conf /etc/chrony.conf
  [[ -f $conf ]] || return 0
  printf '%s\n' "$conf"
  while read -r kw arg; do
    case $kw in
      include) for f in $HE_ROOT$arg; do [[ -f $f ]] && printf '%s\n' "$f"; done ;;
      confdir) for f in "$HE_ROOT$arg"/*.conf; do [[ -f $f ]] && printf '%s\n' "$f"; done ;;
      sourcedir) for f in "$HE_ROOT$arg"/*.sources; do [[ -f $f ]] && printf '%s\n' "$f"; done ;;
    esac
  done < <(gawk '$1 ~ /^(include|confdir|sourcedir)$/ { print $1, $2 }' "$conf")
}

# 2.1.2 at least one time source (server, pool or peer) in the effective chrony configuration.
he_ctl_2_1_2() {
  local mode=$1 files=() sources
  if ! he_any_exists /usr/sbin/chronyd; then
    [[ $mode == audit ]] && he_na "chrony not installed (2.1.1 reports it)"
    return 0
  fi
  mapfile -t files < <(he_al2i_chrony_files)
  sources=""
  if [[ ${#files[@]} -gt 0 ]]; then
    sources=$(gawk '$1 ~ /^(server|pool|peer)$/ && NF >= 2 { printf "%s%s %s", (n++ ? ", " : ""), $1, $2 }' "${files[@]}")
  fi
  if [[ $mode == audit ]]; then
    if [[ -n $sources ]]; then he_pass "chrony time sources: $sources"; else he_fail "no server, pool or peer in /etc/chrony.conf or the files it includes"; fi
    return 0
  fi
  local conf
  he_resolve conf /etc/chrony.conf
  he_edit_file "$(he_rel "$conf")" -v src="$HE_AL2I_TIME_SOURCE" -v id="$HE_CURRENT" \
    '{ print } END { print "# CIS " id ": the Amazon Time Sync Service"; print src }'
  if he_live; then systemctl try-restart chronyd.service; fi
}

# he_al2i_chronyd_exec: effective ExecStart of chronyd.service; HE_INI_LOC names where it is set.
he_al2i_chronyd_exec() { he_unit_setting "$1" chronyd.service Service ExecStart; }

# 2.1.3 chronyd drops root: no "-u root" in OPTIONS (/etc/sysconfig/chronyd, every assignment) or in the unit's
# effective ExecStart (an admin unit or drop-in may hard-code options).
he_ctl_2_1_3() {
  local mode=$1 lines ln v exec bad=() ok=() opts_bad=()
  if ! he_any_exists /usr/sbin/chronyd; then
    [[ $mode == audit ]] && he_na "chrony not installed (2.1.1 reports it)"
    return 0
  fi
  lines=$(he_config_values /etc/sysconfig/chronyd OPTIONS)
  while IFS=$'\t' read -r ln v; do
    [[ -n $ln ]] || continue
    if [[ " $v " =~ [[:space:]]-u[[:space:]]*root[[:space:]] ]]; then opts_bad+=("$ln"); bad+=("/etc/sysconfig/chronyd:$ln OPTIONS=\"$v\""); fi
  done <<<"$lines"
  he_al2i_chronyd_exec exec
  if [[ " $exec " =~ [[:space:]]-u[[:space:]]*root[[:space:]] ]]; then
    bad+=("chronyd.service runs '$exec' ($(he_rel "$HE_INI_LOC"))")
  else
    ok+=("chronyd.service runs '${exec:-default}' (chronyd drops to user chrony)")
  fi
  if [[ $mode == audit ]]; then he_report_collected ""; return 0; fi
  if [[ ${#opts_bad[@]} -gt 0 ]]; then
    local real
    he_resolve real /etc/sysconfig/chronyd
    he_edit_file "$(he_rel "$real")" -v lines=" ${opts_bad[*]} " '
      index(lines, " " FNR " ") { gsub(/-u[ \t]*root/, "-u chrony") } { print }'
  fi
  if [[ " $exec " =~ [[:space:]]-u[[:space:]]*root[[:space:]] ]]; then
    local dropin=/etc/systemd/system/chronyd.service.d/99-zz-cis-hardening.conf
    he_write_file "$dropin" "# CIS hardening ($HE_CURRENT): chronyd runs as user chrony
[Service]
ExecStart=
ExecStart=/usr/sbin/chronyd \$OPTIONS"
    for _ in 1 2 3 4 5; do
      he_al2i_chronyd_exec exec
      [[ " $exec " =~ [[:space:]]-u[[:space:]]*root[[:space:]] ]] || break
      [[ ${HE_INI_LOC%:*} != "$HE_ROOT$dropin" ]] || break
      he_neutralize_line "${HE_INI_LOC%:*}" "${HE_INI_LOC##*:}" /etc/systemd/system/chronyd.service.d
    done
  fi
  if he_live; then systemctl daemon-reload; systemctl try-restart chronyd.service; fi
}

# ---- 2.2 services of several packages -----------------------------------------------------------------------
# he_al2i_services_off MODE "package witness unit,unit" ...: service_off for each package, one verdict.
he_al2i_services_off() {
  local mode=$1 spec package witness units bad=() ok=()
  shift
  for spec in "$@"; do
    read -r package witness units <<<"$spec"
    # shellcheck disable=SC2086  # units are a comma list split on purpose
    he_fam_service_off "$mode" "$package" "$witness" masked ${units//,/ }
    [[ $mode == audit ]] && he_collect
  done
  if [[ $mode == audit ]]; then he_report_collected "none installed"; fi
  return 0
}

# 2.2.8 message access servers: dovecot and cyrus-imapd.
he_ctl_2_2_8() {
  he_al2i_services_off "$1" "dovecot /usr/sbin/dovecot dovecot.socket,dovecot.service" \
    "cyrus-imapd /usr/libexec/cyrus-imapd/cyrus-master cyrus-imapd.service"
}

# 2.2.18 web servers: httpd and nginx.
he_ctl_2_2_18() {
  he_al2i_services_off "$1" "httpd /usr/sbin/httpd httpd.socket,httpd.service" "nginx /usr/sbin/nginx nginx.service"
}

# ---- 2.2.21 MTA local-only ----------------------------------------------------------------------------------
# Postfix (AL2's MTA) reads main.cf with the last assignment winning and listens on every interface when
# inet_interfaces is unset; master.cf may also bind an smtp service to an explicit address.
he_al2i_loopback_only() {
  local v=${1//,/ } w
  [[ -n ${v// /} ]] || return 1
  for w in $v; do
    case $w in loopback-only | localhost | 127.0.0.1 | '[::1]' | ::1) ;; *) return 1 ;; esac
  done
}

he_ctl_2_2_21() {
  local mode=$1 main master value="" where="" bad=() ok=() exposed
  if ! he_any_exists /usr/sbin/postfix; then
    if he_any_exists /usr/sbin/sendmail.sendmail /usr/sbin/exim; then
      [[ $mode == audit ]] && he_fail "an MTA other than postfix is installed (sendmail or exim): not supported"
      [[ $mode == audit ]] || { printf '%s: remove sendmail/exim or configure it for local-only mode\n' "$HE_CURRENT" >&2; return 1; }
      return 0
    fi
    [[ $mode == audit ]] && he_pass "no mail transfer agent installed"
    return 0
  fi
  he_resolve main /etc/postfix/main.cf
  he_resolve master /etc/postfix/master.cf
  if [[ -f $main ]]; then
    IFS=$'\t' read -r value where < <(gawk '
      /^[ \t]*#/ { next }
      /^inet_interfaces[ \t]*=/ { v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t\r]+$/, "", v); val = v; loc = FILENAME ":" FNR }
      END { printf "%s\t%s\n", val, loc }' "$main") || true
  fi
  exposed=""
  if [[ -f $master ]]; then
    exposed=$(gawk '/^[ \t]*#/ || /^[ \t]/ { next }
      $2 == "inet" && $1 ~ /:/ { host = $1; sub(/:[^:]*$/, "", host)
        if (host !~ /^(127\.0\.0\.1|localhost|\[::1\])$/) printf "%s ", FNR }' "$master")
  fi
  if [[ $mode == audit ]]; then
    if he_al2i_loopback_only "$value"; then ok+=("postfix inet_interfaces = $value ($(he_rel "$where"))")
    elif [[ -z $where ]]; then bad+=("postfix inet_interfaces unset (default: all)")
    else bad+=("postfix inet_interfaces = $value ($(he_rel "$where"))"); fi
    [[ -z $exposed ]] || bad+=("master.cf binds a service to a non-loopback address (line ${exposed% })")
    he_report_collected ""
    return 0
  fi
  if ! he_al2i_loopback_only "$value"; then
    he_edit_file "$(he_rel "$main")" '
      /^inet_interfaces[ \t]*=/ { if (!done) print "inet_interfaces = loopback-only"; done = 1; next }
      { print }
      END { if (!done) print "inet_interfaces = loopback-only" }'
  fi
  local n
  for n in $exposed; do he_neutralize_line "$master" "$n" /etc/postfix; done
  if he_live; then systemctl try-restart postfix.service; fi
}
