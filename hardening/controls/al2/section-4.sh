# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016,SC2034  # HE_* globals come from and go to lib/; gawk programs in single quotes
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
  he_report_bad "$n host key files"
}

# 4.2.2 private host keys; 4.2.3 public host keys.
he_ctl_4_2_2() { he_al2a_host_keys "$1" ""; }
he_ctl_4_2_3() { he_al2a_host_keys "$1" .pub; }

# 4.1.1.8 crontab restricted through /etc/cron.allow; 4.1.2.1 at through /etc/at.allow (lib/cron.sh).
he_ctl_4_1_1_8() { he_cron_restricted "$1"; }
he_ctl_4_1_2_1() { he_at_restricted "$1"; }

# ---- 4.2 sshd ----------------------------------------------------------------------------------
# OpenSSH 7.4 has no Include in sshd_config (8.2 added it; 7.4 refuses to start on the keyword), so settings go
# into a managed block at the top of /etc/ssh/sshd_config, where the first value wins (lib/sshd.sh).
HE_SSHD_LAYOUT=single
# OpenSSH 7.4's compiled-in algorithm lists (used when the keyword is absent or starts with +).
HE_SSHD_DEFAULT[ciphers]=chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com
HE_SSHD_DEFAULT[kexalgorithms]=curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1
HE_SSHD_DEFAULT[macs]=umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1

# 4.2.4 SSH access limited: ec2-user is in wheel (cloud-init); Session Manager does not use sshd.
he_ctl_4_2_4() { he_sshd_access "$1" wheel; }

# 4.2.7 idle timeout: ClientAliveInterval 1..900 and ClientAliveCountMax 1..3.
he_ctl_4_2_7() { he_sshd_client_alive "$1"; }

# ---- 4.3 sudo and su (lib/sudo.sh; the same checks as AL2023 4.3.2-4.3.6 under other ids) ----------
he_ctl_4_3_2() { he_sudo_use_pty "$1"; }
he_ctl_4_3_3() { he_sudo_logfile "$1"; }
# 4.3.4 no NOPASSWD rule: excepted on EKS (ec2-user and ssm-user have no password); the audit shows them.
he_ctl_4_3_4() { he_sudo_password_required "$1"; }
he_ctl_4_3_5() { he_sudo_reauthentication "$1"; }
he_ctl_4_3_6() { he_sudo_timestamp_timeout "$1"; }
he_ctl_4_3_7() { he_su_restricted "$1"; }
