#!/bin/bash
# Method 2: what a CIS base needs so the EKS node components it just received work.
set -euo pipefail
: "${CIS_LEVEL:?}" "${OS_FAMILY:?}"

# 1. umask 027 left some installed files without read/execute for others (kubelet, CNI, aws CLI
#    helpers fail with "Permission denied"): set explicit modes on what the node runs.
for path in /usr/bin/kubelet /usr/bin/nodeadm /usr/bin/nodeadm-internal /usr/bin/aws-iam-authenticator \
  /usr/bin/ecr-credential-provider /etc/eks/bootstrap.sh /etc/eks/max-pods-calculator.sh; do
  [[ -e $path ]] && chmod 0755 "$path"
done
for dir in /opt/cni/bin /etc/eks /etc/kubernetes /var/lib/kubelet; do
  [[ -d $dir ]] || continue
  find "$dir" -type d -exec chmod go+rx {} +
  find "$dir" -type f -perm -u+x -exec chmod go+rx {} +
done

# 2. SELinux enforcing (level 2): nodeadm and kubelet must carry an executable type, or systemd
#    fails them with 203/EXEC. Record the labels in policy so a relabel keeps them.
if [[ $CIS_LEVEL -ge 2 ]] && command -v semanage >/dev/null 2>&1 && selinuxenabled 2>/dev/null; then
  for path in /usr/bin/nodeadm /usr/bin/nodeadm-internal /usr/bin/kubelet; do
    [[ -e $path ]] || continue
    semanage fcontext -a -t bin_t "$path" 2>/dev/null || semanage fcontext -m -t bin_t "$path"
    restorecon -v "$path"
  done
elif [[ $CIS_LEVEL -ge 2 ]] && selinuxenabled 2>/dev/null; then
  echo "eks-on-cis-fixes: SELinux is enabled but semanage is missing; labelling with chcon" >&2
  for path in /usr/bin/nodeadm /usr/bin/nodeadm-internal /usr/bin/kubelet; do
    [[ -e $path ]] && chcon -t bin_t "$path"
  done
fi

# 3. Host firewall: keep kubelet (10250) reachable for logs/exec and forwarded pod traffic flowing,
#    persistently, in whichever front end the CIS image uses. Node user data repeats this at boot.
if systemctl is-enabled firewalld >/dev/null 2>&1; then
  firewall-cmd --permanent --add-port=10250/tcp
  firewall-cmd --permanent --zone=trusted --add-forward 2>/dev/null || true
fi
if [[ -f /etc/sysconfig/nftables.conf ]] && systemctl is-enabled nftables >/dev/null 2>&1; then
  rules=/etc/nftables/hardened-eks.nft
  cat >"$rules" <<'NFT'
# hardened-eks: EKS needs kubelet 10250 inbound and forwarded pod traffic.
add rule inet filter input tcp dport 10250 accept
chain inet filter forward { type filter hook forward priority 0; policy accept; }
NFT
  chmod 0600 "$rules"
  grep -q "$rules" /etc/sysconfig/nftables.conf || echo "include \"$rules\"" >>/etc/sysconfig/nftables.conf
fi
if [[ -f /etc/sysconfig/iptables ]] && systemctl is-enabled iptables >/dev/null 2>&1; then
  iptables -C INPUT -p tcp --dport 10250 -j ACCEPT 2>/dev/null || iptables -I INPUT -p tcp --dport 10250 -j ACCEPT
  iptables -P FORWARD ACCEPT
  iptables-save >/etc/sysconfig/iptables
fi

# 4. Pod networking needs IPv4 forwarding; CIS turns it off (an EKS exception in our catalogue).
echo "net.ipv4.ip_forward = 1" >/etc/sysctl.d/98-hardened-eks-forwarding.conf
echo "eks-on-cis-fixes: done for $OS_FAMILY level $CIS_LEVEL"
