# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2023 v1.0.0 section 1: controls that fit no family. Each he_ctl_<id> follows the contract
# in lib/runtime.sh (audit reports one status; apply remediates or defers).

# 1.2.2 gpgcheck=1 in [main] of dnf.conf and no repository turning it off.
he_ctl_1_2_2() {
  local mode=$1 value repo bad=() ok=()
  he_ini_value value main gpgcheck "$HE_ROOT/etc/dnf/dnf.conf"
  local repos=()
  mapfile -t repos < <(grep -l -E '^[[:space:]]*gpgcheck[[:space:]]*=[[:space:]]*(0|[Ff]alse|[Nn]o)[[:space:]]*$' \
    "$HE_ROOT"/etc/yum.repos.d/*.repo 2>/dev/null || true)
  if [[ $mode == audit ]]; then
    case $value in
      1 | [Tt]rue | [Yy]es) ok+=("dnf.conf gpgcheck=$value") ;;
      *) bad+=("dnf.conf [main] gpgcheck=${value:-unset}") ;;
    esac
    for repo in "${repos[@]}"; do bad+=("$(he_rel "$repo") sets gpgcheck off"); done
    he_report_collected ""
    return 0
  fi
  case $value in 1 | [Tt]rue | [Yy]es) ;; *) he_ini_set /etc/dnf/dnf.conf main gpgcheck 1 ;; esac
  for repo in "${repos[@]}"; do
    he_edit_file "$(he_rel "$repo")" '
      /^[ \t]*gpgcheck[ \t]*=[ \t]*(0|[Ff]alse|[Nn]o)[ \t]*$/ { print "gpgcheck=1"; next } { print }'
  done
}

# 1.3.2 AIDE runs regularly: an enabled systemd timer whose service runs `aide --check`, or a cron entry.
HE_AIDE_SERVICE='[Unit]
Description=CIS 1.3.2: check file integrity with AIDE
ConditionPathExists=/var/lib/aide/aide.db.gz

[Service]
Type=oneshot
Nice=19
IOSchedulingClass=idle
ExecStart=/usr/sbin/aide --check'
HE_AIDE_TIMER='[Unit]
Description=CIS 1.3.2: daily AIDE check

[Timer]
OnCalendar=*-*-* 05:00:00
RandomizedDelaySec=1h
Persistent=true

[Install]
WantedBy=timers.target'

he_ctl_1_3_2() {
  local mode=$1 exec="" f
  if he_unit_enabled aidecheck.timer; then
    he_unit_setting exec aidecheck.service Service ExecStart
  fi
  if [[ $mode == audit ]]; then
    if [[ $exec == *aide*--check* ]]; then
      he_pass "aidecheck.timer enabled; aidecheck.service runs '$exec'"
      return 0
    fi
    for f in "$HE_ROOT/etc/crontab" "$HE_ROOT"/etc/cron.d/* "$HE_ROOT"/var/spool/cron/*; do
      [[ -f $f ]] || continue
      if grep -q -E '^[^#]*aide.*--check' "$f"; then
        he_pass "cron: $(he_rel "$f") runs aide --check"
        return 0
      fi
    done
    he_fail "no enabled timer or cron entry runs aide --check"
    return 0
  fi
  he_write_file /etc/systemd/system/aidecheck.service "$HE_AIDE_SERVICE"
  he_write_file /etc/systemd/system/aidecheck.timer "$HE_AIDE_TIMER"
  if he_live; then systemctl daemon-reload; fi
  he_unit_enable aidecheck.timer timers.target
}

# 1.3.3 AIDE protects the audit tools with p+i+n+u+g+s+b+acl+xattrs+sha512.
HE_AUDIT_TOOLS=(auditctl auditd ausearch aureport autrace augenrules)
HE_AIDE_RULE='p+i+n+u+g+s+b+acl+xattrs+sha512'

he_ctl_1_3_3() {
  local mode=$1 conf missing
  he_resolve conf /etc/aide.conf
  if [[ ! -f $conf ]]; then
    if [[ $mode == audit ]]; then he_fail "/etc/aide.conf not found (AIDE not installed)"; return 0; fi
    if he_live; then printf '%s: /etc/aide.conf missing; install aide (1.3.1) first\n' "$HE_CURRENT" >&2; return 1; fi
    he_defer "AIDE is not installed yet (1.3.1 installs it on a running system)"
    return 0
  fi
  missing=$(gawk -v tools="${HE_AUDIT_TOOLS[*]}" -v rule="$HE_AIDE_RULE" '
    BEGIN { n = split(tools, t, " "); m = split(rule, want, "+") }
    /^[ \t]*#/ || NF < 2 { next }
    { p = $1; sub(/^\/usr/, "", p)
      for (i = 1; i <= n; i++) if (p == "/sbin/" t[i]) {
        k = split($2, have, "+"); delete h; for (j = 1; j <= k; j++) h[have[j]] = 1
        okay = 1; for (j = 1; j <= m; j++) if (!(want[j] in h)) okay = 0
        if (okay) good[t[i]] = 1
      } }
    END { for (i = 1; i <= n; i++) if (!(t[i] in good)) printf "%s ", t[i] }' "$conf")
  if [[ $mode == audit ]]; then
    if [[ -z $missing ]]; then he_pass "aide.conf covers ${HE_AUDIT_TOOLS[*]}"; else he_fail "aide.conf lacks $HE_AIDE_RULE for: ${missing% }"; fi
    return 0
  fi
  local tool lines=""
  for tool in $missing; do lines+="/sbin/$tool $HE_AIDE_RULE"$'\n'; done
  he_edit_file "$(he_rel "$conf")" -v add="$lines" -v tools="$missing" '
    BEGIN { n = split(tools, t, " ") }
    { p = $1; sub(/^\/usr/, "", p); drop = 0
      for (i = 1; i <= n; i++) if ($0 !~ /^[ \t]*#/ && p == "/sbin/" t[i]) drop = 1
      if (!drop) print }
    END { printf "# CIS 1.3.3: protect the audit tools\n%s", add }'
}

# 1.4.1 boot loader files: grub.cfg, grubenv, user.cfg 0600 root:root; an EFI (vfat) partition mounted umask=0077.
he_ctl_1_4_1() {
  local mode=$1 f bad=() ok=() conf type opts origin
  for f in /boot/grub2/grub.cfg /boot/grub2/grubenv /boot/grub2/user.cfg; do
    he_fam_file_perm "$mode" "$f" 0600 root root
    [[ $mode == audit ]] && he_collect
  done
  conf=$(he_mount_config /boot/efi)
  if [[ -n $conf ]]; then
    IFS=$'\t' read -r _ type opts origin <<<"$conf"
    if [[ $type == vfat ]]; then
      if he_opt_has "$opts" umask=0077 || { he_opt_has "$opts" fmask=0177 && he_opt_has "$opts" dmask=0077; }; then
        ok+=("/boot/efi vfat $opts")
      elif [[ $mode == audit ]]; then
        bad+=("/boot/efi vfat options '$opts' lack umask=0077")
      else
        local new="" o IFS=,
        for o in $opts; do [[ $o == umask=* || $o == fmask=* || $o == dmask=* ]] || new+="${new:+,}$o"; done
        unset IFS
        new+=",umask=0077"
        if [[ $origin == fstab:* && $origin != *:dropin ]]; then
          he_edit_file /etc/fstab -v n="${origin#fstab:}" -v o="$new" 'FNR == n { $4 = o; print; next } { print }'
        else
          he_write_file "/etc/systemd/system/boot-efi.mount.d/99-zz-cis-hardening.conf" "[Mount]
Options=$new"
        fi
      fi
    fi
  fi
  [[ $mode == audit ]] && he_report_collected "no boot loader configuration found"
  return 0
}

# 1.6.1.5 / 1.6.1.6: hardening/lib/selinux.sh
he_ctl_1_6_1_5() { he_selinux_enforcing "$1"; }
he_ctl_1_6_1_6() { he_selinux_no_unconfined_services "$1"; }

# 1.9 crypto policy not LEGACY: the configured policy and, where present, the generated state.
he_ctl_1_9() {
  local mode=$1 policy="" state=""
  if [[ -f $HE_ROOT/etc/crypto-policies/config ]]; then
    policy=$(gawk '!/^[ \t]*(#|$)/ { print $1; exit }' "$HE_ROOT/etc/crypto-policies/config")
  fi
  if [[ -f $HE_ROOT/etc/crypto-policies/state/current ]]; then
    state=$(gawk '!/^[ \t]*(#|$)/ { print $1; exit }' "$HE_ROOT/etc/crypto-policies/state/current")
  fi
  if [[ $mode == audit ]]; then
    if [[ -z $policy || $policy == LEGACY* ]]; then
      he_fail "configured crypto policy: ${policy:-none} (/etc/crypto-policies/config)"
    elif [[ $state == LEGACY* ]]; then
      if he_live; then he_fail "policy $policy configured but $state is active"
      else he_deferred "policy $policy configured; back ends still generated for $state (update-crypto-policies)"; fi
    else
      he_pass "crypto policy $policy${state:+ (active: $state)}"
    fi
    return 0
  fi
  if [[ -z $policy || $policy == LEGACY* ]]; then
    he_write_file /etc/crypto-policies/config DEFAULT
    policy=DEFAULT
  fi
  if he_live; then
    update-crypto-policies --set "$policy" >/dev/null
  elif [[ $state == LEGACY* ]]; then
    he_defer "update-crypto-policies must regenerate the back ends on a running system"
  fi
}
