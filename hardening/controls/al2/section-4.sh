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

# he_al2a_host_keys MODE SUFFIX: the host key files /etc/ssh/ssh_host_*_key (private, SUFFIX "") or *.pub.
# Private keys: 0600 root:root, or 0640 root:ssh_keys (as sshd-keygen creates them on Amazon Linux 2).
# Public keys: 0644 root:root.
he_al2a_host_keys() {
  local mode=$1 suffix=$2 f rel cur uid gid max bad=() n=0 keys_gid
  keys_gid=$(he_gid ssh_keys 2>/dev/null || printf none)
  for f in "$HE_ROOT"/etc/ssh/ssh_host_*_key"$suffix"; do
    [[ -f $f && ! -L $f ]] || continue
    n=$((n + 1))
    rel=${f#"$HE_ROOT"}
    read -r cur uid gid <<<"$(stat -c '%a %u %g' -- "$f")"
    if [[ -n $suffix ]]; then max=0644
    elif [[ $gid == "$keys_gid" ]]; then max=0640
    else max=0600
    fi
    local problems=() want_group="root or ssh_keys"
    [[ -z $suffix ]] || want_group=root
    ((8#$cur & ~8#$max & 8#7777)) && problems+=("mode $cur exceeds $max")
    [[ $uid == 0 ]] || problems+=("owner uid $uid, want root")
    [[ $gid == 0 || ( -z $suffix && $gid == "$keys_gid" ) ]] || problems+=("group gid $gid, want $want_group")
    [[ ${#problems[@]} -gt 0 ]] || continue
    if [[ $mode == audit ]]; then bad+=("$rel: ${problems[*]}"); continue; fi
    [[ $uid == 0 ]] || chown 0 -- "$f"
    if [[ ! ( $gid == 0 || ( -z $suffix && $gid == "$keys_gid" ) ) ]]; then chgrp 0 -- "$f"; max=${suffix:+0644}; max=${max:-0600}; fi
    read -r cur _ <<<"$(stat -c '%a %u' -- "$f")"
    ((8#$cur & ~8#$max & 8#7777)) && chmod "$(printf '%o' $((8#$cur & 8#$max)))" -- "$f"
  done
  [[ $mode == audit ]] || return 0
  if [[ $n == 0 ]]; then he_na "no host key files in /etc/ssh"; return 0; fi
  if [[ ${#bad[@]} -eq 0 ]]; then he_pass "$n host key files"; else local IFS=';'; he_fail "${bad[*]}"; fi
}

# 4.2.2 private host keys; 4.2.3 public host keys.
he_ctl_4_2_2() { he_al2a_host_keys "$1" ""; }
he_ctl_4_2_3() { he_al2a_host_keys "$1" .pub; }
