#!/bin/bash
# Method 2: install the EKS node components on a CIS AMI with the build scripts of
# awslabs/amazon-eks-ami at a pinned release tag, fetched here at build time (never vendored).
# The steps follow that release's templates/<os>/template.json, with three differences:
# - the exact node binaries come from the plan (EKS_BINARIES=<kubernetes patch>/<build date>), so the image
#   holds what the plan hashed;
# - upstream's cleanup.sh is not run: it deletes resolv.conf, host keys, cloud-init state and audit logs,
#   and our own steps (fixes, site controls, reboot, audit) still follow; packer/scripts/cleanup.sh runs last;
# - container-selinux is installed where SELinux is enforcing: nodes do not join without it.
# The upstream scripts run under `set -o nounset`: every variable they read is passed, empty where the
# upstream template passes it empty.
#   PHASE=kernel   Amazon Linux 2 only: the kernel upstream builds with (5.10), then a reboot into it.
#   PHASE=install  the node components.
# Everything runs from WORK_DIR because /tmp is noexec on a CIS image. INSTALL_ROOT (default /) is where our
# own copies go; tests point it at a scratch folder.
set -euo pipefail
: "${WORK_DIR:?}" "${OS_FAMILY:?}" "${KUBERNETES_VERSION:?}" "${EKS_AMI_RELEASE:?}" "${AWS_REGION:?}" "${PHASE:?}"
root=${INSTALL_ROOT:-}
src="$WORK_DIR/amazon-eks-ami"
worker="$WORK_DIR/worker"
template="$src/templates/$OS_FAMILY"

# CIS images set umask 027; the upstream scripts assume 022 and would leave binaries root-only.
umask 022

fetch_release() {
  [[ -d $template ]] && return 0
  rm -rf "$src"
  mkdir -p "$src"
  curl --fail --silent --show-error --location --retry 5 \
    "https://github.com/awslabs/amazon-eks-ami/archive/refs/tags/${EKS_AMI_RELEASE}.tar.gz" |
    tar -xz -C "$src" --strip-components=1
  [[ -d $template ]] || { echo "install-eks-node: release $EKS_AMI_RELEASE has no templates/$OS_FAMILY" >&2; exit 1; }
}

# variable NAME: a value of the release's flat variables files; the minor version's file wins over the default.
variable() {
  local name=$1 file value="" found
  for file in "$template/variables-default.json" "$template/variables-$KUBERNETES_VERSION.json"; do
    [[ -f $file ]] || continue
    found=$(sed -n "s/^[[:space:]]*\"$name\":[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" "$file" | head -n1)
    [[ -n $found ]] && value=$found
  done
  printf '%s' "$value"
}

run() { echo "install-eks-node: $*"; "$@"; }

# Amazon Linux 2023 installs with dnf, Amazon Linux 2 with yum.
package_install() {
  if [[ $OS_FAMILY == al2023 ]]; then dnf install -y "$@"; else yum install -y "$@"; fi
}

# Enforcing SELinux without container-selinux stops nodeadm and the containers (awslabs/amazon-eks-ami#2006).
# On Amazon Linux 2 the package is only in the selinux-ng extra.
selinux_for_containers() {
  local mode
  mode=$(getenforce 2>/dev/null || echo Disabled)
  if [[ $mode != Enforcing ]] && ! grep -qsE '^[[:space:]]*SELINUX[[:space:]]*=[[:space:]]*enforcing' \
    "$root/etc/selinux/config"; then
    return 0
  fi
  rpm -q container-selinux >/dev/null 2>&1 && return 0
  [[ $OS_FAMILY == al2 ]] && run amazon-linux-extras enable selinux-ng
  run package_install container-selinux
}

case $PHASE in
  kernel)
    if [[ $OS_FAMILY != al2 ]]; then
      echo "install-eks-node: $OS_FAMILY keeps the kernel of its CIS image"
      exit 0
    fi
    fetch_release
    before=$(rpm -q --last kernel 2>/dev/null | head -n1 || true)
    run env KERNEL_VERSION="$(variable kernel_version)" KUBERNETES_VERSION="$KUBERNETES_VERSION" \
      bash "$template/provisioners/upgrade-kernel.sh"
    after=$(rpm -q --last kernel 2>/dev/null | head -n1 || true)
    if [[ $before != "$after" ]]; then
      echo "install-eks-node: kernel changed (${after%% *}); rebooting into it"
      systemctl reboot
    fi
    exit 0
    ;;
  install) ;;
  *)
    echo "install-eks-node: PHASE must be kernel or install, not '$PHASE'" >&2
    exit 2
    ;;
esac

: "${EKS_BINARIES:?EKS_BINARIES (<kubernetes patch>/<build date>) comes from the plan}"
[[ $EKS_BINARIES == "$KUBERNETES_VERSION".*/* ]] || {
  echo "install-eks-node: EKS_BINARIES=$EKS_BINARIES is not a $KUBERNETES_VERSION build" >&2
  exit 2
}
fetch_release
rm -rf "$worker"
mkdir -p "$worker"
kubernetes_full=${EKS_BINARIES%%/*}
build_date=${EKS_BINARIES##*/}

if ! command -v aws >/dev/null 2>&1; then
  if [[ $OS_FAMILY == al2023 ]]; then package_install awscli-2; else package_install awscli; fi
fi
selinux_for_containers

# What the upstream templates pass to install-worker.sh, besides the versions: binaries over anonymous HTTPS
# (empty credentials select it), containerd from the distribution, the SSM agent the image has or the newest.
common=(BINARY_BUCKET_NAME=amazon-eks BINARY_BUCKET_REGION=us-west-2 WORKING_DIR="$worker"
  KUBERNETES_VERSION="$kubernetes_full" KUBERNETES_BUILD_DATE="$build_date"
  CONTAINERD_VERSION="$(variable containerd_version)" RUNC_VERSION="$(variable runc_version)"
  INSTALL_CONTAINERD_FROM_S3=false AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= AWS_SESSION_TOKEN=
  SSM_AGENT_VERSION= AWS_REGION="$AWS_REGION")
# The pause image from the build region's EKS registry (the release's variables name us-west-2's);
# get-ecr-uri.sh knows the registry account of every region.
partition_domain=amazonaws.com
[[ $AWS_REGION == cn-* ]] && partition_domain=amazonaws.com.cn
registry=$(bash "$src/templates/al2/runtime/get-ecr-uri.sh" "$AWS_REGION" "$partition_domain")

if [[ $OS_FAMILY == al2023 ]]; then
  mkdir -p "$worker/shared" "$worker/rootfs" "$worker/nodeadm" "$worker/gpu" "$root/etc/eks/log-collector-script" \
    "$root/usr/bin"
  cp -r "$template/../shared/runtime/." "$worker/shared/"
  cp -r "$template/runtime/rootfs/." "$worker/rootfs/"
  cp -r "$template/runtime/gpu/." "$worker/gpu/"
  cp -r "$src/nodeadm/." "$worker/nodeadm/"
  install -m 0755 "$src/log-collector-script/linux/eks-log-collector.sh" "$root/etc/eks/log-collector-script/"
  cp -r "$worker/rootfs/." "$root/"
  chmod -R a+x "$worker/shared/bin/"
  cp -r "$worker/shared/bin/." "$root/usr/bin/"
  pause=$(variable pause_container_image)
  run env "${common[@]}" bash "$template/provisioners/install-worker.sh"
  run env BUILD_IMAGE="$(variable nodeadm_build_image)" PROJECT_DIR="$worker/nodeadm" AWS_REGION="$AWS_REGION" \
    bash "$template/provisioners/install-nodeadm.sh"
  run env PAUSE_CONTAINER_IMAGE="$registry/${pause#*/}" AWS_REGION="$AWS_REGION" \
    bash "$template/provisioners/cache-pause-container.sh"
else
  mkdir -p "$worker/log-collector-script" "$root/usr/bin"
  cp -r "$template/../shared/runtime/." "$worker/"
  cp -r "$template/runtime/." "$worker/"
  cp -r "$src/log-collector-script/linux/." "$worker/log-collector-script/"
  chmod -R a+x "$worker/bin/"
  cp -r "$worker/bin/." "$root/usr/bin/"
  run env "${common[@]}" DOCKER_VERSION="$(variable docker_version)" \
    CNI_PLUGIN_VERSION="$(variable cni_plugin_version)" PAUSE_CONTAINER_VERSION="$(variable pause_container_version)" \
    PULL_CNI_FROM_GITHUB="$(variable pull_cni_from_github)" CACHE_CONTAINER_IMAGES=false INSTALL_DOCKER=false \
    USER=root bash "$template/provisioners/install-worker.sh"
fi

# Our own check in place of upstream validate.sh: the kubelet the plan named is what the node will run.
version=$(kubelet --version 2>/dev/null || true)
if [[ $version != *"v$kubernetes_full"* ]]; then
  echo "install-eks-node: kubelet reports '${version:-nothing}', expected v$kubernetes_full" >&2
  exit 1
fi
rm -rf "$src" "$worker"
echo "install-eks-node: EKS node components $EKS_BINARIES installed ($OS_FAMILY, release $EKS_AMI_RELEASE)"
