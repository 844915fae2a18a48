# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2023 v1.0.0 section 2 (services): controls that fit no family. Each he_ctl_<id> follows
# the contract in lib/runtime.sh (audit reports one status; apply remediates or defers).

# ---- 2.1 chrony -------------------------------------------------------------------------------
HE_CHRONY_WITNESS=/usr/sbin/chronyd
# Amazon Time Sync Service: link-local, reachable from every instance without internet access.
HE_CHRONY_SERVER='server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4'

# he_chrony_files VAR: VAR (array) becomes the files chronyd reads, in order: /etc/chrony.conf, then the
# files its `include` globs, `confdir` directories (*.conf, a name in an earlier directory shadows later
# ones) and `sourcedir` directories (*.sources) name. A file no directive names is not read.
he_chrony_files() {
  local -n __cf=$1
  local main kind args dir f
  __cf=()
  he_resolve main /etc/chrony.conf
  [[ -f $main ]] || return 0
  __cf+=("$main")
  while IFS=$'\t' read -r kind args; do
    case $kind in
      include)
        while IFS= read -r f; do if [[ -f $f ]]; then __cf+=("$f"); fi; done < <(compgen -G "$HE_ROOT$args" | LC_ALL=C sort)
        ;;
      confdir)
        local found=()
        # shellcheck disable=SC2086  # directory list as chrony splits it
        he_conf_files found "" $args
        __cf+=("${found[@]}")
        ;;
      sourcedir)
        for dir in $args; do
          for f in "$HE_ROOT$dir"/*.sources; do if [[ -f $f ]]; then __cf+=("$f"); fi; done
        done
        ;;
    esac
  done < <(gawk '
    /^[ \t]*[#!;%]/ { next }
    $1 == "include" && NF >= 2 { print "include\t" $2 }
    ($1 == "confdir" || $1 == "sourcedir") && NF >= 2 { d = $2; for (i = 3; i <= NF; i++) d = d " " $i; print $1 "\t" d }' "$main")
}

he_ctl_2_1_1() {
  local mode=$1
  if ! he_any_exists "$HE_CHRONY_WITNESS"; then
    if [[ $mode == audit ]]; then he_fail "chrony not installed (no $HE_CHRONY_WITNESS)"; return 0; fi
    if he_live; then he_dnf install chrony; else he_defer "installing chrony needs dnf on a running system"; return 0; fi
  fi
  if [[ $mode == audit ]]; then
    if he_unit_enabled chronyd.service; then
      he_pass "chrony installed; chronyd.service enabled"
    elif he_unit_masked chronyd.service; then
      he_fail "chrony installed; chronyd.service masked"
    else
      he_fail "chrony installed; chronyd.service not enabled"
    fi
    return 0
  fi
  he_unit_enabled chronyd.service || he_unit_enable chronyd.service multi-user.target
}

# The user chronyd runs as: `-u USER` on its command line (the effective ExecStart, with $OPTIONS from
# /etc/sysconfig/chronyd when ExecStart uses it) overrides the `user` directive of the configuration.
HE_AWK_U_ROOT='(^|[ \t])-u[ \t]*root([ \t"\047]|$)'
# gawk expression: $0 without its "-u root" (quotes around the value kept).
HE_AWK_DROP_U_ROOT='gensub(/(^|[ \t"\047])-u[ \t]*root([ \t"\047]|$)/, "\\1\\2", "g")'

he_chrony_options() {
  local f
  he_resolve f /etc/sysconfig/chronyd
  [[ -f $f ]] || return 0
  gawk '/^[ \t]*OPTIONS[ \t]*=/ { v = $0; sub(/^[^=]*=[ \t]*/, "", v); gsub(/^["\047]|["\047][ \t]*$/, "", v); loc = FILENAME ":" FNR; val = v }
    END { if (loc != "") printf "%s\t%s", loc, val }' "$f"
}

he_ctl_2_1_2() {
  local mode=$1 files=() sources exec="" exec_loc="" options user_line bad=() ok=()
  if ! he_any_exists "$HE_CHRONY_WITNESS" /etc/chrony.conf; then
    if [[ $mode == audit ]]; then he_fail "chrony not installed (no /etc/chrony.conf)"; return 0; fi
    if he_live; then printf '%s: chrony is not installed; 2.1.1 installs it\n' "$HE_CURRENT" >&2; return 1; fi
    he_defer "chrony is not installed yet (2.1.1 installs it on a running system)"
    return 0
  fi
  he_chrony_files files
  sources=""
  [[ ${#files[@]} -eq 0 ]] || sources=$(gawk '
    /^[ \t]*(server|pool)[ \t]+[^ \t#]/ { sub(/^[ \t]+/, ""); printf "%s:%d: %s\n", FILENAME, FNR, $0 }' "${files[@]}")
  user_line=""
  [[ ${#files[@]} -eq 0 ]] || user_line=$(gawk '$1 == "user" && NF >= 2 { u = FILENAME ":" FNR "\t" $2 } END { printf "%s", u }' "${files[@]}")
  he_unit_setting exec chronyd.service Service ExecStart
  exec_loc=$HE_INI_LOC
  options=$(he_chrony_options)

  if [[ -n $sources ]]; then ok+=("time source $(he_rel "${sources%%$'\n'*}")"); else bad+=("no server or pool line is read by chronyd"); fi
  local run_as_root=""
  if [[ -n $exec ]] && gawk -v re="$HE_AWK_U_ROOT" 'BEGIN { exit !(ARGV[1] ~ re) }' "$exec"; then
    run_as_root="ExecStart at $(he_rel "$exec_loc") runs '-u root'"
  elif [[ ( -z $exec || $exec == *'$OPTIONS'* || $exec == *'${OPTIONS}'* ) && -n $options ]] &&
    gawk -v re="$HE_AWK_U_ROOT" 'BEGIN { exit !(ARGV[1] ~ re) }' "${options#*$'\t'}"; then
    run_as_root="OPTIONS at $(he_rel "${options%%$'\t'*}") has '-u root'"
  elif [[ ${user_line#*$'\t'} == root ]]; then
    run_as_root="'user root' at $(he_rel "${user_line%%$'\t'*}")"
  fi
  if [[ -n $run_as_root ]]; then bad+=("chronyd runs as root: $run_as_root"); else ok+=("chronyd drops root"); fi

  if [[ $mode == audit ]]; then
    he_report_collected ""
    return 0
  fi
  if [[ -z $sources ]]; then
    he_edit_file "$(he_rel "${files[0]:-$HE_ROOT/etc/chrony.conf}")" -v line="$HE_CHRONY_SERVER" -v id="$HE_CURRENT" \
      '{ print } END { print "# CIS " id ": Amazon Time Sync Service"; print line }'
  fi
  if [[ -n $exec ]] && gawk -v re="$HE_AWK_U_ROOT" 'BEGIN { exit !(ARGV[1] ~ re) }' "$exec"; then
    local file=${exec_loc%:*} line=${exec_loc##*:}
    if [[ $(he_rel "$file") == /etc/* ]]; then
      he_edit_file "$(he_rel "$file")" -v n="$line" "FNR == n { \$0 = $HE_AWK_DROP_U_ROOT } { print }"
    else
      he_write_file /etc/systemd/system/chronyd.service.d/99-cis-chrony-user.conf \
        "$(printf '[Service]\nExecStart=\nExecStart=%s' "$(gawk "BEGIN { \$0 = ARGV[1]; print $HE_AWK_DROP_U_ROOT }" "$exec")")"
    fi
  fi
  if [[ -n $options ]]; then
    local options_loc=${options%%$'\t'*}
    he_edit_file "$(he_rel "${options_loc%:*}")" "/^[ \t]*OPTIONS[ \t]*=/ { \$0 = $HE_AWK_DROP_U_ROOT } { print }"
  fi
  if [[ ${user_line#*$'\t'} == root ]]; then
    local user_loc=${user_line%%$'\t'*}
    he_edit_file "$(he_rel "${user_loc%:*}")" -v id="$HE_CURRENT" \
      '$1 == "user" && $2 == "root" { print "# " $0 "  # disabled by CIS hardening " id; next } { print }'
  fi
  if he_live; then
    systemctl daemon-reload
    systemctl try-restart chronyd.service
  fi
}

# ---- 2.2 services ------------------------------------------------------------------------------
# he_packages_absent MODE NAME=WITNESS...: several packages that must all be absent (one control).
he_packages_absent() {
  local mode=$1 spec bad=() ok=()
  shift
  for spec in "$@"; do
    he_fam_package_absent audit "${spec%%=*}" "${spec#*=}"
    if [[ $mode == audit ]]; then
      he_collect
    elif [[ $HE_STATUS == fail ]]; then
      he_fam_package_absent apply "${spec%%=*}" "${spec#*=}"
      [[ -z $HE_DEFER_REASON ]] || bad+=("$HE_DEFER_REASON")
    fi
  done
  if [[ $mode == audit ]]; then
    he_report_collected ""
  elif [[ ${#bad[@]} -gt 0 ]]; then
    local IFS=';'
    he_defer "${bad[*]}"
  fi
}

he_ctl_2_2_8() { he_packages_absent "$1" httpd=/usr/sbin/httpd nginx=/usr/sbin/nginx; }
he_ctl_2_2_9() {
  he_packages_absent "$1" dovecot=/usr/sbin/dovecot cyrus-imapd=/usr/libexec/cyrus-imapd/cyrus-master
}

# 2.2.15 the MTA accepts mail from this host only. Postfix (the MTA Amazon Linux ships) is judged by the
# effective inet_interfaces of main.cf (the last assignment wins, an indented line continues the previous
# one; unset means "all"). On a running system no socket may listen on 25, 465 or 587 off loopback.
HE_POSTFIX_WITNESS=/usr/sbin/postfix
HE_POSTFIX_LOCAL='loopback-only'

he_postfix_inet_interfaces() {
  local f
  he_resolve f /etc/postfix/main.cf
  [[ -f $f ]] || return 0
  gawk '
    function flush() { if (key == "inet_interfaces") { val = cur; loc = FILENAME ":" start } key = "" }
    /^[ \t]*#/ || /^[ \t]*$/ { next }
    /^[ \t]/ { if (key != "") cur = cur " " $0; next }
    { flush(); k = $0; sub(/[ \t]*=.*/, "", k); if ($0 !~ /=/) next
      key = k; cur = $0; sub(/^[^=]*=[ \t]*/, "", cur); start = FNR }
    END { flush(); if (loc != "") { gsub(/[ \t]+/, " ", val); sub(/ $/, "", val); printf "%s\t%s", loc, val } }' "$f"
}

# Listening TCP sockets on mail ports that are not bound to loopback (running system only).
he_mta_listeners() {
  he_live || return 0
  gawk '
    function loopback(a) {
      if (length(a) == 8) return substr(a, 7, 2) == "7F"
      return a == "00000000000000000000000001000000" || (a ~ /^0000000000000000FFFF0000/ && substr(a, 31, 2) == "7F")
    }
    FNR > 1 && $4 == "0A" { split($2, la, ":"); port = strtonum("0x" la[2])
      if ((port == 25 || port == 465 || port == 587) && !loopback(la[1])) printf "%s port %d; ", FILENAME, port }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null || true
}

he_ctl_2_2_15() {
  local mode=$1 setting value listeners word problem=""
  listeners=$(he_mta_listeners)
  if ! he_any_exists "$HE_POSTFIX_WITNESS"; then
    if [[ $mode == audit ]]; then
      if [[ -n $listeners ]]; then he_fail "no postfix, but a mail port listens off loopback: $listeners"; else he_pass "no MTA installed"; fi
      return 0
    fi
    printf '%s: a mail port listens off loopback (%s) and no postfix to configure: stop that MTA\n' "$HE_CURRENT" "$listeners" >&2
    return 1
  fi
  setting=$(he_postfix_inet_interfaces)
  value=${setting#*$'\t'}
  if [[ -z $setting ]]; then
    problem="inet_interfaces not set (postfix listens on all interfaces)"
  else
    for word in ${value//,/ }; do
      case $word in
        loopback-only | localhost | 127.0.0.1 | ::1 | '[::1]') ;;
        *) problem="inet_interfaces = $value at $(he_rel "${setting%%$'\t'*}")" ;;
      esac
    done
  fi
  if [[ $mode == audit ]]; then
    if [[ -n $problem ]]; then he_fail "$problem"
    elif [[ -n $listeners ]]; then he_fail "inet_interfaces = $value, but listening: $listeners"
    else he_pass "postfix inet_interfaces = $value"; fi
    return 0
  fi
  if [[ -n $problem ]]; then
    local real
    he_resolve real /etc/postfix/main.cf
    he_edit_file "$(he_rel "$real")" -v want="$HE_POSTFIX_LOCAL" -v id="$HE_CURRENT" '
      /^[ \t]*#/ || /^[ \t]*$/ { skip = 0; print; next }
      /^[ \t]/ { if (!skip) print; next }
      { k = $0; sub(/[ \t]*=.*/, "", k); skip = (k == "inet_interfaces" && $0 ~ /=/); if (!skip) print }
      END { print "# CIS " id ": accept mail from this host only"; print "inet_interfaces = " want }'
  fi
  if he_live; then systemctl try-restart postfix.service; fi
}
