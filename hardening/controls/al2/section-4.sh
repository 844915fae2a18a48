# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2 v3.0.0 section 4: access, authentication and authorization. Controls that fit no family;
# each he_ctl_<id> follows the contract in lib/runtime.sh. Helpers are prefixed he_al2a_; the unit helper
# he_al2l_unit comes from section-5.sh of the same benchmark. EKS decisions: hardening/catalog/al2/section-4.yaml.

# 4.1.1.1 cronie installed and crond.service enabled.
he_ctl_4_1_1_1() {
  local mode=$1
  if ! he_any_exists /usr/sbin/crond; then
    if [[ $mode == audit ]]; then he_fail "cronie is not installed (no /usr/sbin/crond)"; return 0; fi
    if he_live; then he_dnf install cronie; else he_defer "installing cronie needs yum on a running system"; return 0; fi
  fi
  he_al2l_unit "$mode" crond.service multi-user.target
}

# 4.5.2.1 root's primary group is GID 0 (/etc/passwd field 4).
he_ctl_4_5_2_1() {
  local mode=$1 gid
  gid=$(gawk -F: '$1 == "root" { print $4; exit }' "$HE_ROOT/etc/passwd")
  if [[ $mode == audit ]]; then
    if [[ $gid == 0 ]]; then he_pass "root's primary GID is 0"; else he_fail "root's primary GID is ${gid:-missing}"; fi
    return 0
  fi
  he_edit_file /etc/passwd -F: -v OFS=: '$1 == "root" { $4 = 0 } { print }'
}

# 4.5.3.1 nologin is not a login shell in /etc/shells (it would let accounts with it use services such as FTP
# that accept any listed shell).
he_ctl_4_5_3_1() {
  local mode=$1 lines
  if [[ ! -f $HE_ROOT/etc/shells ]]; then
    [[ $mode == audit ]] && he_pass "/etc/shells does not exist"
    return 0
  fi
  lines=$(gawk '!/^[ \t]*#/ && /\/nologin[ \t]*$/ { printf "%s%d", (n++ ? "," : ""), FNR }' "$HE_ROOT/etc/shells")
  if [[ $mode == audit ]]; then
    if [[ -z $lines ]]; then he_pass "no nologin entry in /etc/shells"; else he_fail "/etc/shells lists nologin (line $lines)"; fi
    return 0
  fi
  he_edit_file /etc/shells '!/^[ \t]*#/ && /\/nologin[ \t]*$/ { next } { print }'
}
