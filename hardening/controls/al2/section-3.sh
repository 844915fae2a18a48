# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2 v3.0.0 section 3: wireless interfaces and the iptables host firewall, node-safe for EKS.
# Helpers are prefixed he_al2n_ so the other AL2 section files, rendered into the same script, cannot clash.
#
# Firewall: iptables is the one utility (kube-proxy runs in iptables mode; the EKS AMI restores
# /etc/sysconfig/iptables with its iptables-restore.service after the container runtime starts). firewalld and
# nftables.service are masked. Our rules go at the top of the filter table's INPUT and OUTPUT chains of
# /etc/sysconfig/iptables and ip6tables (loopback, established, outbound, kubelet 10250); the chain policies are
# left as they are (ACCEPT on EKS: default deny is an exception) and kube-proxy's and the VPC CNI's chains are
# never touched. iptables.service and ip6tables.service are enabled with a drop-in that removes their stop and
# reload actions: iptables.init stop flushes every table and reload restores the whole filter table, either of
# which wipes kube-proxy's rules on a running node.

# ---- 3.1.2 wireless interfaces ---------------------------------------------------------------------------
# he_al2n_wireless: "interface<TAB>driver module" for each wireless interface in sysfs (none under a root
# without /sys, such as an image being built).
he_al2n_wireless() {
  local dir ifname module
  for dir in "$HE_ROOT"/sys/class/net/*; do
    [[ -d $dir/wireless || -d $dir/phy80211 ]] || continue
    ifname=${dir##*/}
    module=""
    if [[ -e $dir/device/driver/module ]]; then module=$(readlink -f -- "$dir/device/driver/module"); module=${module##*/}; fi
    printf '%s\t%s\n' "$ifname" "$module"
  done
}

he_ctl_3_1_2() {
  local mode=$1 ifname module cmd blacklisted bad=() ok=()
  while IFS=$'\t' read -r ifname module; do
    [[ -n $ifname ]] || continue
    if [[ -z $module ]]; then
      [[ $mode == audit ]] || { printf '%s: no driver module found for wireless interface %s\n' "$HE_CURRENT" "$ifname" >&2; return 1; }
      bad+=("$ifname: driver module unknown")
      continue
    fi
    IFS=$'\x1f' read -r cmd _ blacklisted <<<"$(he_kmod_state "$module")"
    if [[ $cmd == /bin/false || $cmd == /bin/true ]] && [[ $blacklisted == 1 ]] && ! he_kmod_loaded "$module"; then
      ok+=("$ifname: $module disabled")
      continue
    fi
    if [[ $mode == audit ]]; then bad+=("$ifname: driver $module is loadable"); continue; fi
    he_write_file "/etc/modprobe.d/00-cis-wireless-$module.conf" \
      "# CIS hardening ($HE_CURRENT): wireless driver of $ifname must not load
install $module /bin/false
blacklist $module"
    if he_live; then
      ip link set dev "$ifname" down || true
      modprobe -r "$module"
    fi
  done < <(he_al2n_wireless)
  [[ $mode == audit ]] || return 0
  local IFS=';'
  if [[ ${#bad[@]} -gt 0 ]]; then he_fail "${bad[*]}"
  elif [[ ${#ok[@]} -gt 0 ]]; then he_pass "${ok[*]}"
  else he_pass "no wireless interfaces"; fi
}

# ---- 3.4 firewall utility ----------------------------------------------------------------------------------
HE_AL2N_DROPIN_NAME=10-eks-node-safe.conf

he_al2n_v4_restored_at_boot() {
  he_unit_enabled iptables.service || he_unit_enabled iptables-restore.service
}

he_al2n_other_firewalls() {
  local unit
  for unit in firewalld.service nftables.service; do
    if he_unit_enabled "$unit"; then printf '%s ' "$unit"; fi
  done
}

# 3.4.1.2 one utility: iptables rules restored at boot, neither firewalld nor nftables.service enabled.
he_ctl_3_4_1_2() {
  local mode=$1 others
  others=$(he_al2n_other_firewalls)
  if [[ $mode == audit ]]; then
    if [[ -n $others ]]; then he_fail "also enabled besides iptables: ${others% } (they flush kube-proxy's rules)"
    elif ! he_al2n_v4_restored_at_boot; then he_fail "no service restores the iptables rules at boot"
    else he_pass "iptables is the only firewall utility (firewalld and nftables.service not enabled)"; fi
    return 0
  fi
  local unit
  for unit in $others; do he_unit_mask "$unit"; done
  if ! he_al2n_v4_restored_at_boot; then he_al2n_enable_service iptables; fi
}

# 3.4.4.1.1 iptables and iptables-services (the iptables and ip6tables units and their init script).
he_ctl_3_4_4_1_1() {
  local mode=$1 missing=()
  he_any_exists /usr/sbin/iptables-restore /sbin/iptables-restore || missing+=(iptables)
  he_any_exists /usr/lib/systemd/system/iptables.service || missing+=(iptables-services)
  if [[ $mode == audit ]]; then
    if [[ ${#missing[@]} -eq 0 ]]; then he_pass "iptables and iptables-services installed"; else he_fail "not installed: ${missing[*]}"; fi
    return 0
  fi
  if he_live; then he_dnf install "${missing[@]}"; else he_defer "installing ${missing[*]} needs yum on a running system"; fi
}

# ---- rules -------------------------------------------------------------------------------------------------
# Per IP version: the command, the saved-rules file, the service, the loopback source and the ICMP protocol name.
he_al2n_tool() {
  # VAR is the caller's `local -A`; bash 4.2 (AL2) has no namerefs, so each key is set with printf -v.
  local __tv=$1 __tk __tval
  if [[ $2 == 4 ]]; then
    set -- cmd iptables file /etc/sysconfig/iptables unit iptables.service lo 127.0.0.0/8 icmp icmp \
      loopback_ctl 3.4.4.2.1 established_ctl 3.4.4.2.2
  else
    set -- cmd ip6tables file /etc/sysconfig/ip6tables unit ip6tables.service lo ::1/128 icmp ipv6-icmp \
      loopback_ctl 3.4.4.3.1 established_ctl 3.4.4.3.2
  fi
  while [[ $# -gt 0 ]]; do
    __tk=$1 __tval=$2
    shift 2
    printf -v "${__tv}[$__tk]" '%s' "$__tval"
  done
}

# he_al2n_wanted VERSION KIND: the rules (iptables -S form) of KIND: loopback, established, kubelet.
he_al2n_wanted() {
  local -A t
  he_al2n_tool t "$1"
  local p
  case $2 in
    loopback) printf '%s\n' "-A INPUT -i lo -j ACCEPT" "-A INPUT -s ${t[lo]} -j DROP" "-A OUTPUT -o lo -j ACCEPT" ;;
    established)
      for p in tcp udp "${t[icmp]}"; do printf '%s\n' "-A OUTPUT -p $p -m state --state NEW,ESTABLISHED -j ACCEPT"; done
      for p in tcp udp "${t[icmp]}"; do printf '%s\n' "-A INPUT -p $p -m state --state ESTABLISHED -j ACCEPT"; done ;;
    kubelet) printf '%s\n' "-A INPUT -p tcp -m tcp --dport 10250 -j ACCEPT" ;;
  esac
}

# he_al2n_block VERSION: every rule this script manages, in order (kinds of excluded controls left out).
he_al2n_block() {
  local -A t
  he_al2n_tool t "$1"
  if [[ ${HE_CTL_DISPOSITION[${t[loopback_ctl]}]:-} == automated ]]; then he_al2n_wanted "$1" loopback; fi
  if [[ ${HE_CTL_DISPOSITION[${t[established_ctl]}]:-} == automated ]]; then he_al2n_wanted "$1" established; fi
  he_al2n_wanted "$1" kubelet
}

# he_al2n_saved_filter VERSION: the filter table of the saved file as iptables-restore reads it (comments and
# counters dropped, blanks squeezed); prints nothing, and returns 1, when the file would not restore (no
# *filter table, or no COMMIT for it).
he_al2n_saved_filter() {
  local -A t
  he_al2n_tool t "$1"
  local real
  he_resolve real "${t[file]}"
  [[ -f $real ]] || return 1
  gawk '
    { sub(/\r$/, ""); sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); gsub(/[ \t]+/, " ") }
    /^#/ || $0 == "" { next }
    /^\*/ { table = substr($0, 2); next }
    table == "filter" && $0 == "COMMIT" { committed = 1; table = ""; next }
    table == "filter" { sub(/^\[[0-9]+:[0-9]+\] /, ""); print }
    END { exit !committed }' "$real"
}

# he_al2n_loaded VERSION: the filter table that is in force: the running kernel's, or under --root what the
# enabled boot services restore (nothing when none does or the file would not restore).
he_al2n_loaded() {
  local -A t
  he_al2n_tool t "$1"
  if he_live; then
    "${t[cmd]}" -S 2>/dev/null | gawk '{ gsub(/[ \t]+/, " ") } 1'
    return 0
  fi
  if [[ $1 == 4 ]]; then he_al2n_v4_restored_at_boot || return 0; else he_unit_enabled ip6tables.service || return 0; fi
  local saved
  if saved=$(he_al2n_saved_filter "$1"); then printf '%s\n' "$saved"; fi
}

# he_al2n_missing RULES WANTED: the wanted rules that are absent from RULES or come after an unconditional
# DROP/REJECT of their chain (which makes them dead); the loopback ACCEPT must come before the spoofed-source DROP.
he_al2n_missing() {
  gawk -v rules="$1" -v wanted="$2" '
    BEGIN {
      n = split(rules, r, "\n")
      for (i = 1; i <= n; i++) {
        split(r[i], w, " ")
        if (w[1] == "-A" && !(w[2] in stop) && r[i] ~ ("^-A " w[2] " -j (DROP|REJECT)( |$)")) stop[w[2]] = i
        if (!(r[i] in at)) at[r[i]] = i
      }
      m = split(wanted, q, "\n")
      for (j = 1; j <= m; j++) {
        if (q[j] == "") continue
        split(q[j], w, " ")
        if (!(q[j] in at)) print q[j] " (absent)"
        else if ((w[2] in stop) && at[q[j]] > stop[w[2]]) print q[j] " (after an unconditional DROP/REJECT)"
        else if (q[j] ~ /^-A INPUT -s .* -j DROP$/ && !(("-A INPUT -i lo -j ACCEPT") in at && at["-A INPUT -i lo -j ACCEPT"] < at[q[j]]))
          print q[j] " (before the loopback ACCEPT: it drops loopback traffic)"
      }
    }'
}

# he_al2n_rules_audit VERSION KIND: audit one kind of rules.
he_al2n_rules_audit() {
  local version=$1 kind=$2 rules missing
  if [[ $version == 6 ]] && he_ipv6_disabled; then he_na "IPv6 is disabled on the kernel command line"; return 0; fi
  rules=$(he_al2n_loaded "$version")
  if [[ -z $rules ]] && ! he_live; then
    he_fail "no IPv$version filter rules are loaded at boot (no enabled service restores a valid saved file)"
    return 0
  fi
  missing=$(he_al2n_missing "$rules" "$(he_al2n_wanted "$version" "$kind")")
  if [[ -z $missing ]]; then he_pass "IPv$version $kind rules in force"; else he_fail "IPv$version: ${missing//$'\n'/; }"; fi
}

# he_al2n_install_rules VERSION: put our rules at the top of INPUT and OUTPUT of the saved filter table (an
# empty table with ACCEPT policies when the file has none), enable the service, and on a running system insert
# what is missing into the kernel's table.
he_al2n_install_rules() {
  local version=$1 block
  local -A t
  he_al2n_tool t "$version"
  if ! he_any_exists /usr/sbin/iptables-restore /sbin/iptables-restore; then
    if he_live; then he_dnf install iptables; else he_defer "iptables is not installed (3.4.1.1 installs it on a running system)"; return 0; fi
  fi
  block=$(he_al2n_block "$version")
  local real
  he_resolve real "${t[file]}"
  if [[ ! -f $real ]]; then
    HE_NEW_MODE=0600 he_write_file "${t[file]}" "# Saved ${t[cmd]} rules (restored at boot by ${t[unit]})"
  fi
  if ! he_al2n_saved_filter "$version" >/dev/null; then
    # iptables-restore would reject the file: close an unterminated filter table, or add an empty one.
    he_edit_file "${t[file]}" '
      /^[ \t]*\*/ { if (table == "filter" && !committed) print "COMMIT"; table = substr($1, 2); if (table == "filter") seen = 1 }
      table == "filter" && /^[ \t]*COMMIT/ { committed = 1 }
      { print }
      END { if (table == "filter" && !committed) print "COMMIT"
            if (!seen) { print "*filter"; print ":INPUT ACCEPT [0:0]"; print ":FORWARD ACCEPT [0:0]"; print ":OUTPUT ACCEPT [0:0]"; print "COMMIT" } }'
  fi
  he_edit_file "${t[file]}" -v block="$block" '
    BEGIN { n = split(block, b, "\n"); for (i = 1; i <= n; i++) ours[b[i]] = 1 }
    { line = $0; sub(/\r$/, "", line); gsub(/[ \t]+/, " ", line); sub(/^ /, "", line); sub(/ $/, "", line) }
    /^\*/ { table = substr(line, 2); print; next }
    table == "filter" && (line in ours) { next }
    table == "filter" && !done && (line ~ /^-A / || line == "COMMIT") {
      print "# CIS 3.4.4 node-safe rules (managed by cis-harden.sh): kube-proxy and the VPC CNI keep their own chains"
      for (i = 1; i <= n; i++) print b[i]
      done = 1
    }
    table == "filter" && line ~ /^# CIS 3\.4\.4 node-safe rules/ { next }
    { print }'
  he_al2n_enable_service "${t[cmd]}"
  if he_live; then
    local rule missing
    missing=$(he_al2n_missing "$("${t[cmd]}" -S | gawk '{ gsub(/[ \t]+/, " ") } 1')" "$block" | sed 's/ (.*)$//' | tac)
    while IFS= read -r rule; do
      [[ -n $rule ]] || continue
      # shellcheck disable=SC2086  # a rule is a list of iptables words
      set -- ${rule#-A }
      "${t[cmd]}" -I "$1" 1 "${@:2}"
    done <<<"$missing"
  fi
}

# he_al2n_enable_service iptables|ip6tables: enable the restore service with the node-safe drop-in.
he_al2n_enable_service() {
  local unit=$1.service
  he_write_file "/etc/systemd/system/$unit.d/$HE_AL2N_DROPIN_NAME" "# EKS node: stopping or reloading $unit must not flush kube-proxy's and the VPC CNI's rules
# (iptables.init stop flushes every table; reload restores the whole filter table).
[Service]
ExecReload=
ExecStop="
  if he_live; then
    local file
    he_unit_file file "$unit"
    [[ -n $file ]] || he_dnf install iptables-services  # 3.4.4.1.1 comes later in the catalogue
    systemctl daemon-reload
  fi
  if ! he_unit_enabled "$unit"; then
    local target
    target=$(gawk -F= '/^[ \t]*WantedBy[ \t]*=/ { gsub(/[ \t]/, "", $2); print $2; exit }' "$HE_ROOT/usr/lib/systemd/system/$unit" 2>/dev/null || true)
    he_unit_enable "$unit" "${target:-multi-user.target}"
  elif he_live; then
    systemctl is-active --quiet "$unit" || systemctl start "$unit"
  fi
}

# he_al2n_service_audit VERSION: the service is enabled (and active), unmasked, and cannot flush kube-proxy's rules.
he_al2n_service_audit() {
  local version=$1 stop reload bad=()
  local -A t
  he_al2n_tool t "$version"
  if [[ $version == 6 ]] && he_ipv6_disabled; then he_na "IPv6 is disabled on the kernel command line"; return 0; fi
  if he_unit_masked "${t[unit]}"; then bad+=("${t[unit]} is masked")
  elif ! he_unit_enabled "${t[unit]}"; then bad+=("${t[unit]} is not enabled"); fi
  if he_live && ! systemctl is-active --quiet "${t[unit]}"; then bad+=("${t[unit]} is not active"); fi
  he_unit_setting stop "${t[unit]}" Service ExecStop
  he_unit_setting reload "${t[unit]}" Service ExecReload
  [[ $stop != *init* ]] || bad+=("ExecStop '$stop' flushes every table, including kube-proxy's")
  [[ $reload != *init* ]] || bad+=("ExecReload '$reload' replaces the filter table, including kube-proxy's chains")
  he_report_bad "${t[unit]} enabled; stop and reload leave kube-proxy's rules alone"
}

# he_al2n_saved_audit VERSION: the saved file restores, holds the rules, and (running system) what runs is saved.
he_al2n_saved_audit() {
  local version=$1 saved missing running
  local -A t
  he_al2n_tool t "$version"
  if [[ $version == 6 ]] && he_ipv6_disabled; then he_na "IPv6 is disabled on the kernel command line"; return 0; fi
  if ! saved=$(he_al2n_saved_filter "$version"); then
    he_fail "${t[file]} has no filter table iptables-restore would load (missing, or no COMMIT)"
    return 0
  fi
  missing=$(he_al2n_missing "$saved" "$(he_al2n_block "$version")")
  if he_live; then
    running=$("${t[cmd]}" -S | gawk '{ gsub(/[ \t]+/, " ") } 1')
    missing+=$(he_al2n_missing "$saved" "$(grep -E '^-A (INPUT|OUTPUT) ' <<<"$running" | grep -v -E 'KUBE-|AWS-' || true)")
  fi
  if [[ -z $missing ]]; then he_pass "${t[file]} holds the rules in force"; else he_fail "not saved in ${t[file]}: ${missing//$'\n'/; }"; fi
}

# he_al2n_policy_evidence VERSION: the chain policies in force (default deny is excepted on EKS).
he_al2n_policy_evidence() {
  local version=$1 rules policies
  rules=$(he_al2n_loaded "$version")
  policies=$(gawk '/^-P (INPUT|FORWARD|OUTPUT) / { printf "%s=%s ", $2, $3 } /^:(INPUT|FORWARD|OUTPUT) / { printf "%s=%s ", substr($1, 2), $2 }' <<<"$rules")
  if [[ $policies == *INPUT=DROP* && $policies == *FORWARD=DROP* && $policies == *OUTPUT=DROP* ]]; then he_pass "policies: ${policies% }"
  else he_fail "policies: ${policies:-none loaded}"; fi
}

he_ctl_3_4_4_2_1() { if [[ $1 == audit ]]; then he_al2n_rules_audit 4 loopback; else he_al2n_install_rules 4; fi; }
he_ctl_3_4_4_2_2() { if [[ $1 == audit ]]; then he_al2n_rules_audit 4 established; else he_al2n_install_rules 4; fi; }
he_ctl_3_4_4_2_4() { if [[ $1 == audit ]]; then he_al2n_policy_evidence 4; fi; }
he_ctl_3_4_4_2_5() { if [[ $1 == audit ]]; then he_al2n_saved_audit 4; else he_al2n_install_rules 4; fi; }
he_ctl_3_4_4_2_6() { if [[ $1 == audit ]]; then he_al2n_service_audit 4; else he_al2n_enable_service iptables; fi; }
he_ctl_3_4_4_3_1() { if [[ $1 == audit ]]; then he_al2n_rules_audit 6 loopback; else he_al2n_install_rules 6; fi; }
he_ctl_3_4_4_3_2() { if [[ $1 == audit ]]; then he_al2n_rules_audit 6 established; else he_al2n_install_rules 6; fi; }
he_ctl_3_4_4_3_4() { if [[ $1 == audit ]]; then he_al2n_policy_evidence 6; fi; }
he_ctl_3_4_4_3_5() { if [[ $1 == audit ]]; then he_al2n_saved_audit 6; else he_al2n_install_rules 6; fi; }
he_ctl_3_4_4_3_6() { if [[ $1 == audit ]]; then he_al2n_service_audit 6; else he_al2n_enable_service ip6tables; fi; }
