# shellcheck shell=bash
# shellcheck disable=SC2154  # HE_* globals come from lib/runtime.sh
# SELinux on EKS nodes (AL2023 1.6.1.5/1.6.1.6, AL2 1.5.1.5/1.5.1.6: same checks, other ids).
# Enforcing needs the labels EKS relies on: nodeadm and kubelet must stay executable by systemd
# (awslabs/amazon-eks-ami#2123), and container-selinux must be present so pods run confined.
HE_SELINUX_RELABEL=(/usr/bin /etc/eks /etc/systemd/system /etc/kubernetes /var/lib/kubelet /opt/cni/bin)
HE_SELINUX_CONTAINER_POLICY=(/usr/share/selinux/packages/container.pp.bz2
  /usr/share/selinux/packages/targeted/container.pp.bz2)

# he_selinux_enforcing MODE: SELINUX=enforcing configured, container-selinux installed and, on a running
# system, enforcing now with the EKS binaries labelled.
HE_SELINUX_BEFORE=""  # SELINUX= in the configuration before apply changed it

he_selinux_enforcing() {
  local mode=$1 bad=() ok=() conf
  if [[ $mode == apply ]]; then
    he_resolve conf /etc/selinux/config
    HE_SELINUX_BEFORE=$(gawk -F= '/^[ \t]*SELINUX[ \t]*=/ { v = $2; gsub(/[ \t"\047]/, "", v) } END { print tolower(v) }' \
      "$conf" 2>/dev/null || true)
  fi
  he_fam_config_value "$mode" /etc/selinux/config SELINUX enforcing enforcing
  if [[ $mode == audit ]]; then
    he_collect
    if he_any_exists "${HE_SELINUX_CONTAINER_POLICY[@]}"; then
      ok+=("container-selinux installed")
    else
      bad+=("container-selinux not installed")
    fi
    if he_live; then
      local current wrong
      current=$(getenforce 2>/dev/null || echo unknown)
      [[ $current == Enforcing ]] || bad+=("running mode is $current")
      wrong=$(restorecon -n -v -R /usr/bin/nodeadm /usr/bin/kubelet /usr/bin/containerd /etc/eks 2>/dev/null |
        head -n 3 || true)
      if [[ -n $wrong ]]; then bad+=("EKS files mislabelled: ${wrong//$'\n'/ }"); else ok+=("EKS binaries labelled"); fi
    fi
    he_report_collected ""
    return 0
  fi
  # Moving from disabled: files written meanwhile have no labels, so the next boot must relabel everything
  # (/.autorelabel; selinux-autorelabel relabels and reboots once more: the build's reboot window must allow it).
  local was_disabled=0
  if [[ $HE_SELINUX_BEFORE == disabled ]] || { he_live && [[ $(getenforce 2>/dev/null || echo Disabled) == Disabled ]]; }; then
    was_disabled=1
  fi
  if [[ $was_disabled == 1 ]]; then he_write_file /.autorelabel ""; fi
  if ! he_live; then
    he_defer "SELINUX=enforcing is configured${HE_SELINUX_BEFORE:+ (was $HE_SELINUX_BEFORE)}$([[ $was_disabled == 1 ]] && echo '; a full relabel is scheduled (/.autorelabel)'); installing container-selinux, relabelling ${HE_SELINUX_RELABEL[*]} and setenforce need the running system"
    return 0
  fi
  if ! he_any_exists "${HE_SELINUX_CONTAINER_POLICY[@]}"; then
    # Amazon Linux 2 has container-selinux only in the selinux-ng extra (amazonlinux/amazon-linux-2023#56).
    if [[ $HE_PROFILE_BENCHMARK == al2 ]] && command -v amazon-linux-extras >/dev/null 2>&1; then
      amazon-linux-extras enable selinux-ng >/dev/null
      yum clean metadata >/dev/null
    fi
    he_dnf install container-selinux
  fi
  if [[ $was_disabled == 1 ]]; then
    # setenforce and restorecon do nothing useful while the running kernel has SELinux disabled.
    he_defer "SELinux is disabled in the running kernel: enforcing mode and the full relabel scheduled in /.autorelabel take effect at the next boot"
    return 0
  fi
  local d existing=()
  for d in "${HE_SELINUX_RELABEL[@]}"; do [[ -e $d ]] && existing+=("$d"); done
  restorecon -R "${existing[@]}"
  setenforce 1
}

# he_selinux_no_unconfined_services MODE: no process runs as unconfined_service_t (evidence from a running
# system; excepted on EKS, where the node agents run unconfined).
he_selinux_no_unconfined_services() {
  local mode=$1 list
  [[ $mode == audit ]] || return 0
  if ! he_live; then
    he_deferred "needs the process list of a running system"
    return 0
  fi
  list=$(ps -eZ 2>/dev/null | gawk '/unconfined_service_t/ { print $NF }' | sort -u | head -n 10 | tr '\n' ' ' || true)
  if [[ -z $list ]]; then he_pass "no process runs as unconfined_service_t"; else he_fail "unconfined: $list"; fi
}
