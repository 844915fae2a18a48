# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2 v3.0.0 section 1: controls that fit no family. Each he_ctl_<id> follows the contract in
# lib/runtime.sh (audit reports one status; apply remediates or defers). Helpers are prefixed he_al2i_ so the
# other AL2 section files, rendered into the same script, cannot clash with them.

# he_al2i_fold: add the status of a sub-check to the caller's arrays `bad` and `ok`.
he_al2i_fold() {
  case $HE_STATUS in
    fail | deferred) bad+=("$HE_DETAIL") ;;
    pass) ok+=("$HE_DETAIL") ;;
  esac
}

# he_al2i_report NA-TEXT: one status from the caller's `bad` and `ok`.
he_al2i_report() {
  local IFS=';'
  if [[ ${#bad[@]} -gt 0 ]]; then he_fail "${bad[*]}"; elif [[ ${#ok[@]} -gt 0 ]]; then he_pass "${ok[*]}"; else he_na "$1"; fi
}

# ---- 1.2.2 gpgcheck -----------------------------------------------------------------------------------------
# yum's own default is gpgcheck off, so [main] of /etc/yum.conf must say 1; a repository section (in yum.conf
# or /etc/yum.repos.d/*.repo) that sets it off overrides [main] for that repository.
HE_AL2I_GPG_OFF='^[ \t]*gpgcheck[ \t]*=[ \t]*(0|[Ff]alse|[Nn]o|[Oo]ff)[ \t\r]*$'

# he_al2i_gpg_off_repos: prints "<file>\t<line>\t<section>" for every repository that turns gpgcheck off.
he_al2i_gpg_off_repos() {
  local files=() f
  he_resolve f /etc/yum.conf
  [[ -f $f ]] && files+=("$f")
  for f in "$HE_ROOT"/etc/yum.repos.d/*.repo; do [[ -f $f ]] && files+=("$f"); done
  [[ ${#files[@]} -gt 0 ]] || return 0
  gawk -v off="$HE_AL2I_GPG_OFF" '
    FNR == 1 { sect = "" }
    /^[ \t]*[#;]/ { next }
    /^[ \t]*\[/ { sect = $0; gsub(/[][ \t]/, "", sect); next }
    sect != "main" && $0 ~ off { print FILENAME "\t" FNR "\t" sect }' "${files[@]}"
}

he_ctl_1_2_2() {
  local mode=$1 value conf repos file line sect bad=() ok=()
  he_resolve conf /etc/yum.conf
  value=""
  [[ -f $conf ]] && he_ini_value value main gpgcheck "$conf"
  repos=$(he_al2i_gpg_off_repos)
  if [[ $mode == audit ]]; then
    case $value in
      1 | [Tt]rue | [Yy]es | [Oo]n) ok+=("yum.conf [main] gpgcheck=$value") ;;
      *) bad+=("yum.conf [main] gpgcheck=${value:-unset (yum default: off)}") ;;
    esac
    while IFS=$'\t' read -r file line sect; do
      [[ -n $file ]] && bad+=("repository $sect turns gpgcheck off ($(he_rel "$file"):$line)")
    done <<<"$repos"
    he_al2i_report ""
    return 0
  fi
  case $value in 1 | [Tt]rue | [Yy]es | [Oo]n) ;; *) he_ini_set "$(he_rel "$conf")" main gpgcheck 1 ;; esac
  while IFS=$'\t' read -r file line sect; do
    [[ -n $file ]] || continue
    he_edit_file "$(he_rel "$file")" -v n="$line" 'FNR == n { print "gpgcheck=1"; next } { print }'
  done <<<"$repos"
}

# ---- 1.3.1 single user mode ---------------------------------------------------------------------------------
# The rescue and emergency targets start a shell through these units: their effective ExecStart (unit plus
# drop-ins; an empty ExecStart= resets) must run sulogin, which asks for the root password. A masked unit
# starts no shell at all.
HE_AL2I_SULOGIN_EXEC='-/bin/sh -c "/usr/sbin/sulogin; /usr/bin/systemctl --fail --no-block default"'

he_al2i_sulogin_state() {
  local unit=$1 file exec
  he_unit_file file "$unit"
  if [[ $file == masked ]]; then HE_STATUS=pass HE_DETAIL="$unit masked"; return 0; fi
  if [[ -z $file ]]; then HE_STATUS=fail HE_DETAIL="$unit not found"; return 0; fi
  he_unit_setting exec "$unit" Service ExecStart
  if [[ $exec =~ (^|[[:space:]\"\;/])sulogin([[:space:]\"\;]|$) || $exec == *systemd-sulogin-shell* ]]; then
    HE_STATUS=pass HE_DETAIL="$unit runs '$exec'"
  else
    HE_STATUS=fail HE_DETAIL="$unit runs '${exec:-nothing}' without sulogin${HE_INI_LOC:+ ($(he_rel "$HE_INI_LOC"))}"
  fi
}

he_ctl_1_3_1() {
  local mode=$1 unit bad=() ok=() dropin
  for unit in rescue.service emergency.service; do
    he_al2i_sulogin_state "$unit"
    if [[ $mode == audit ]]; then he_al2i_fold; continue; fi
    [[ $HE_STATUS == pass ]] && continue
    dropin=/etc/systemd/system/$unit.d/99-zz-cis-hardening.conf
    he_write_file "$dropin" "# CIS hardening ($HE_CURRENT): single user mode asks for the root password
[Service]
ExecStart=
ExecStart=$HE_AL2I_SULOGIN_EXEC"
    # A drop-in sorting after ours would still win: neutralise its ExecStart lines.
    for _ in 1 2 3 4 5; do
      he_al2i_sulogin_state "$unit"
      [[ $HE_STATUS == pass ]] && break
      [[ -n $HE_INI_LOC && ${HE_INI_LOC%:*} != "$HE_ROOT$dropin" ]] || break
      he_neutralize_line "${HE_INI_LOC%:*}" "${HE_INI_LOC##*:}" "/etc/systemd/system/$unit.d"
    done
  done
  if [[ $mode == audit ]]; then he_al2i_report "no rescue or emergency unit"; return 0; fi
  if he_live; then systemctl daemon-reload; fi
}

# ---- 1.5.1.5 SELinux enforcing ------------------------------------------------------------------------------
# With the labels an EKS node needs: kubelet, containerd and the CNI plugins must stay executable by systemd and
# the kubelet, /etc/eks/bootstrap.sh by cloud-init, and container-selinux must be present so pods run confined
# (container_t) instead of being denied (awslabs/amazon-eks-ami#2123, #2006 for the same failure on AL2023).
HE_AL2I_RELABEL=(/usr/bin /etc/eks /etc/systemd/system /etc/kubernetes /var/lib/kubelet /opt/cni/bin)
HE_AL2I_CONTAINER_SELINUX=(/usr/share/selinux/packages/container.pp.bz2 /usr/share/selinux/packages/targeted/container.pp.bz2)

he_ctl_1_5_1_5() {
  local mode=$1 bad=() ok=()
  he_fam_config_value "$mode" /etc/selinux/config SELINUX enforcing enforcing
  if [[ $mode == audit ]]; then
    he_al2i_fold
    if he_any_exists "${HE_AL2I_CONTAINER_SELINUX[@]}"; then
      ok+=("container-selinux installed")
    else
      bad+=("container-selinux not installed")
    fi
    if he_live; then
      local current wrong
      current=$(getenforce 2>/dev/null || echo unknown)
      [[ $current == Enforcing ]] || bad+=("running mode is $current")
      wrong=$(restorecon -n -v -R /usr/bin/kubelet /usr/bin/containerd /etc/eks 2>/dev/null | head -n 3 || true)
      if [[ -n $wrong ]]; then bad+=("EKS files mislabelled: ${wrong//$'\n'/ }"); else ok+=("EKS binaries labelled"); fi
    fi
    he_al2i_report ""
    return 0
  fi
  if ! he_live; then
    he_defer "SELINUX=enforcing is configured; installing container-selinux, relabelling ${HE_AL2I_RELABEL[*]} and setenforce need the running system"
    return 0
  fi
  if ! he_any_exists "${HE_AL2I_CONTAINER_SELINUX[@]}"; then he_dnf install container-selinux; fi
  local d existing=()
  for d in "${HE_AL2I_RELABEL[@]}"; do [[ -e $d ]] && existing+=("$d"); done
  restorecon -R "${existing[@]}"
  setenforce 1
}

# ---- 1.5.1.6 unconfined services (excepted on EKS: node agents run unconfined); evidence from a running system
he_ctl_1_5_1_6() {
  local mode=$1 list
  [[ $mode == audit ]] || return 0
  if ! he_live; then
    he_deferred "needs the process list of a running system"
    return 0
  fi
  list=$(ps -eZ 2>/dev/null | gawk '/unconfined_service_t/ { print $NF }' | sort -u | head -n 10 | tr '\n' ' ' || true)
  if [[ -z $list ]]; then he_pass "no process runs as unconfined_service_t"; else he_fail "unconfined: $list"; fi
}
