# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2023 v1.0.0 section 3.4: the host firewall, node-safe.
# nftables.service loads /etc/sysconfig/nftables.conf at boot. We add our own table (inet hardened_eks) in
# /etc/nftables/hardened-eks.nft, included from there: base chains for input, forward and output with policy
# accept (default deny is an EKS exception), loopback rules, and nothing that touches kube-proxy's or the VPC
# CNI's tables. A drop-in keeps `systemctl stop/reload nftables` from flushing the whole ruleset (which would
# wipe kube-proxy's rules); an active `flush ruleset` in the configuration is neutralised for the same reason.

HE_NFT_CONF=/etc/sysconfig/nftables.conf
HE_NFT_OURS=/etc/nftables/hardened-eks.nft
HE_NFT_DROPIN=/etc/systemd/system/nftables.service.d/10-eks-node-safe.conf

# he_nft_text: the configuration nftables.service loads (the conf file with its includes, recursively), or
# on a running system the live ruleset.
he_nft_text() {
  if he_live && command -v nft >/dev/null 2>&1; then
    nft list ruleset 2>/dev/null || true
    return 0
  fi
  he_nft_conf_text "$HE_NFT_CONF" 0
}

he_nft_conf_text() {
  local path=$1 depth=$2 real inc f
  [[ $depth -lt 4 ]] || return 0
  he_resolve real "$path"
  [[ -f $real ]] || return 0
  gawk '!/^[ \t]*#/' "$real"
  while IFS= read -r inc; do
    [[ $inc == /* ]] || inc=/etc/nftables/$inc
    for f in $HE_ROOT$inc; do
      [[ -f $f ]] && he_nft_conf_text "$(he_rel "$f")" $((depth + 1))
    done
  done < <(gawk '/^[ \t]*include[ \t]+"/ { s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); print s }' "$real")
}

he_firewalld_in_use() {
  he_unit_enabled firewalld.service
}

# he_nft_chain_policy TEXT HOOK: the policy of the base chain on HOOK ("" when there is none).
he_nft_chain_policy() {
  gawk -v hook="$2" '
    /^[ \t]*chain[ \t]/ { in_chain = 1; chain_hook = ""; pol = "" }
    in_chain && $0 ~ ("hook[ \t]+" hook "[ \t;]") && /type[ \t]+filter/ { chain_hook = hook
      if (match($0, /policy[ \t]+[a-z]+/)) { p = substr($0, RSTART, RLENGTH); sub(/policy[ \t]+/, "", p); pol = p } else pol = "accept"
      found = pol }
    END { printf "%s", found }' <<<"$1"
}

he_nft_ruleset() {
  local loopback=""
  if [[ ${HE_CTL_DISPOSITION[3.4.2.4]:-} == automated ]]; then
    loopback='
    iif "lo" accept
    ip saddr 127.0.0.0/8 counter drop'
    if ! he_ipv6_disabled; then loopback+='
    ip6 saddr ::1 counter drop'; fi
  fi
  cat <<EOT
#!/usr/sbin/nft -f
# CIS 3.4 node-safe host firewall for EKS (managed by cis-harden.sh). Policies stay accept: kube-proxy and the
# VPC CNI own service, NodePort and pod traffic in their own tables; the node security group is the boundary.
table inet hardened_eks
delete table inet hardened_eks
table inet hardened_eks {
  chain input {
    type filter hook input priority filter + 10; policy accept;$loopback
    tcp dport 10250 accept comment "kubelet API (logs, exec) must stay reachable"
  }
  chain forward {
    type filter hook forward priority filter + 10; policy accept;
  }
  chain output {
    type filter hook output priority filter + 10; policy accept;
  }
}
EOT
}

# Write our table, include it, neutralise `flush ruleset`, make stop/reload node-safe, enable the service.
he_nft_install() {
  if ! he_any_exists /usr/sbin/nft /sbin/nft; then
    if he_live; then he_dnf install nftables; else he_defer "nftables is not installed (3.4.1.1 installs it on a running system)"; return 0; fi
  fi
  he_write_file "$HE_NFT_OURS" "$(he_nft_ruleset)"
  he_edit_file "$HE_NFT_CONF" -v inc="include \"$HE_NFT_OURS\"" '
    /^[ \t]*flush[ \t]+ruleset/ { print "# " $0 "  # disabled: would wipe kube-proxy and VPC CNI rules"; next }
    $0 == inc { seen = 1 }
    { print }
    END { if (!seen) print inc }'
  he_write_file "$HE_NFT_DROPIN" "# Stopping or reloading nftables must not flush kube-proxy's and the VPC CNI's tables.
[Service]
ExecStop=
ExecStop=-/usr/sbin/nft delete table inet hardened_eks
ExecReload=
ExecReload=/usr/sbin/nft -f $HE_NFT_CONF"
  if he_live; then systemctl daemon-reload; fi
  he_unit_enable nftables.service multi-user.target
  if he_live; then nft -f "$HE_NFT_OURS"; fi
}

# 3.4.1.2 exactly one firewall utility: nftables.service enabled, firewalld not in use.
he_ctl_3_4_1_2() {
  local mode=$1 nft=0 fwd=0
  if he_unit_enabled nftables.service; then nft=1; fi
  if he_firewalld_in_use; then fwd=1; fi
  if [[ $mode == audit ]]; then
    case $nft$fwd in
      10) he_pass "nftables.service enabled; firewalld not in use" ;;
      01) he_pass "firewalld enabled; nftables.service not enabled" ;;
      11) he_fail "both firewalld and nftables.service are enabled" ;;
      *) he_fail "no firewall utility is enabled" ;;
    esac
    return 0
  fi
  if [[ $fwd == 1 ]]; then he_unit_mask firewalld.service; fi
  he_nft_install
}

# 3.4.2.1 firewalld default zone (only when firewalld is the utility in use).
he_ctl_3_4_2_1() {
  local mode=$1 zone=""
  if ! he_firewalld_in_use; then
    [[ $mode == audit ]] && he_na "firewalld is not in use (nftables is)"
    return 0
  fi
  zone=$(gawk -F= '/^[ \t]*DefaultZone[ \t]*=/ { z = $2; gsub(/[ \t]/, "", z) } END { print z }' \
    "$HE_ROOT/etc/firewalld/firewalld.conf" 2>/dev/null || true)
  if [[ $mode == audit ]]; then
    if [[ -n $zone ]]; then he_pass "firewalld default zone: $zone"; else he_fail "firewalld has no default zone"; fi
    return 0
  fi
  he_edit_file /etc/firewalld/firewalld.conf '/^[ \t]*DefaultZone[ \t]*=/ { next } { print } END { print "DefaultZone=public" }'
}

# 3.4.2.2 at least one nftables table (loaded at boot).
he_ctl_3_4_2_2() {
  local mode=$1 text tables
  if he_firewalld_in_use; then [[ $mode == audit ]] && he_na "firewalld manages the ruleset"; return 0; fi
  if [[ $mode == apply ]]; then he_nft_install; return 0; fi
  if ! he_live && ! he_unit_enabled nftables.service; then
    he_fail "nftables.service is not enabled: no table is loaded at boot"
    return 0
  fi
  text=$(he_nft_text)
  tables=$(gawk '/^[ \t]*table[ \t]+[a-z0-9]+[ \t]+[^ \t{]+[ \t]*\{/ { printf "%s %s; ", $2, $3 }' <<<"$text")
  if [[ -n $tables ]]; then he_pass "tables: ${tables%; }"; else he_fail "no nftables table is defined"; fi
}

# 3.4.2.3 base chains for input, forward and output.
he_ctl_3_4_2_3() {
  local mode=$1 text hook missing=()
  if he_firewalld_in_use; then [[ $mode == audit ]] && he_na "firewalld manages the ruleset"; return 0; fi
  if [[ $mode == apply ]]; then he_nft_install; return 0; fi
  if ! he_live && ! he_unit_enabled nftables.service; then he_fail "nftables.service is not enabled"; return 0; fi
  text=$(he_nft_text)
  for hook in input forward output; do
    [[ -n $(he_nft_chain_policy "$text" "$hook") ]] || missing+=("$hook")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then he_pass "filter base chains on input, forward, output"
  else he_fail "no filter base chain on: ${missing[*]}"; fi
}

# 3.4.2.4 loopback: accept on lo, drop loopback sources arriving elsewhere.
he_ctl_3_4_2_4() {
  local mode=$1 text missing=()
  if he_firewalld_in_use; then [[ $mode == audit ]] && he_na "firewalld manages the ruleset"; return 0; fi
  if [[ $mode == apply ]]; then he_nft_install; return 0; fi
  if ! he_live && ! he_unit_enabled nftables.service; then he_fail "nftables.service is not enabled"; return 0; fi
  text=$(he_nft_text)
  grep -q -E 'iif "?lo"? accept' <<<"$text" || missing+=('iif "lo" accept')
  grep -q -E 'ip saddr 127\.0\.0\.0/8 .*drop' <<<"$text" || missing+=("ip saddr 127.0.0.0/8 drop")
  if ! he_ipv6_disabled; then grep -q -E 'ip6 saddr ::1 .*drop' <<<"$text" || missing+=("ip6 saddr ::1 drop"); fi
  if [[ ${#missing[@]} -eq 0 ]]; then he_pass "loopback accepted on lo; spoofed loopback sources dropped"
  else local IFS=';'; he_fail "missing: ${missing[*]}"; fi
}

# 3.4.2.7 default deny (excepted on EKS): evidence of the base chain policies.
he_ctl_3_4_2_7() {
  local mode=$1 text hook policy not_drop=()
  [[ $mode == audit ]] || return 0
  text=$(he_nft_text)
  for hook in input forward output; do
    policy=$(he_nft_chain_policy "$text" "$hook")
    [[ $policy == drop ]] || not_drop+=("$hook=${policy:-none}")
  done
  if [[ ${#not_drop[@]} -eq 0 ]]; then he_pass "input, forward, output policy drop"; else he_fail "policies: ${not_drop[*]}"; fi
}
