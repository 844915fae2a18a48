#!/bin/bash
# Method 2: install the EKS node components on a CIS AMI with the build scripts of
# awslabs/amazon-eks-ami at a pinned release tag, fetched here at build time (never vendored).
# The steps and their order follow that release's templates/<os>/template.json; everything runs
# from WORK_DIR because /tmp is noexec on a CIS image.
set -euo pipefail
: "${WORK_DIR:?}" "${OS_FAMILY:?}" "${KUBERNETES_VERSION:?}" "${EKS_AMI_RELEASE:?}" "${AWS_REGION:?}"

# CIS images set umask 027; the upstream scripts assume 022 and would leave binaries root-only.
umask 022
src="$WORK_DIR/amazon-eks-ami"
worker="$WORK_DIR/worker"
rm -rf "$src" "$worker"
mkdir -p "$src" "$worker"

curl --fail --silent --show-error --location --retry 5 \
  "https://github.com/awslabs/amazon-eks-ami/archive/refs/tags/${EKS_AMI_RELEASE}.tar.gz" |
  tar -xz -C "$src" --strip-components=1
template="$src/templates/$OS_FAMILY"
[[ -d $template ]] || { echo "install-eks-node: release $EKS_AMI_RELEASE has no templates/$OS_FAMILY" >&2; exit 1; }

# A variable of the release's flat variables JSON files: the minor version's file wins over the default.
variable() {
  local name=$1 file value=""
  for file in "$template/variables-default.json" "$template/variables-$KUBERNETES_VERSION.json"; do
    [[ -f $file ]] || continue
    local found
    found=$(sed -n "s/^[[:space:]]*\"$name\":[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" "$file" | head -n1)
    [[ -n $found ]] && value=$found
  done
  printf '%s' "$value"
}

if ! command -v aws >/dev/null 2>&1; then
  if command -v dnf >/dev/null 2>&1; then dnf install -y awscli-2; else yum install -y awscli; fi
fi
# The newest patch release and build date of this minor version, as the release's hack/latest-binaries.sh finds them.
latest=$(aws s3api list-objects-v2 --bucket amazon-eks --region us-west-2 --prefix "$KUBERNETES_VERSION." \
  --query 'Contents[*].[Key]' --output text | cut -d/ -f-2 | sort -Vru | head -n1)
[[ $latest == */* ]] || { echo "install-eks-node: no EKS binaries for Kubernetes $KUBERNETES_VERSION" >&2; exit 1; }

export KUBERNETES_VERSION_FULL=${latest%%/*} KUBERNETES_BUILD_DATE=${latest##*/}
export BINARY_BUCKET_NAME=amazon-eks BINARY_BUCKET_REGION=us-west-2 WORKING_DIR=$worker
CONTAINERD_VERSION=$(variable containerd_version)
RUNC_VERSION=$(variable runc_version)
export CONTAINERD_VERSION RUNC_VERSION

run() { echo "install-eks-node: $*"; "$@"; }

if [[ $OS_FAMILY == al2023 ]]; then
  mkdir -p "$worker/shared" "$worker/rootfs" "$worker/nodeadm" "$worker/gpu"
  cp -r "$template/../shared/runtime/." "$worker/shared/"
  cp -r "$template/runtime/rootfs/." "$worker/rootfs/"
  cp -r "$template/runtime/gpu/." "$worker/gpu/"
  cp -r "$src/nodeadm/." "$worker/nodeadm/"
  mkdir -p /etc/eks/log-collector-script
  install -m 0755 "$src/log-collector-script/linux/eks-log-collector.sh" /etc/eks/log-collector-script/
  cp -r "$worker/rootfs/." /
  chmod -R a+x "$worker/shared/bin/"
  cp -r "$worker/shared/bin/." /usr/bin/
  run env KUBERNETES_VERSION="$KUBERNETES_VERSION_FULL" bash "$template/provisioners/install-worker.sh"
  run env BUILD_IMAGE="$(variable nodeadm_build_image)" PROJECT_DIR="$worker/nodeadm" \
    bash "$template/provisioners/install-nodeadm.sh"
  run env PAUSE_CONTAINER_IMAGE="$(variable pause_container_image)" \
    bash "$template/provisioners/cache-pause-container.sh"
else
  mkdir -p "$worker/log-collector-script"
  cp -r "$template/../shared/runtime/." "$worker/"
  cp -r "$template/runtime/." "$worker/"
  cp -r "$src/log-collector-script/linux/." "$worker/log-collector-script/"
  chmod -R a+x "$worker/bin/"
  cp -r "$worker/bin/." /usr/bin/
  run env KUBERNETES_VERSION="$KUBERNETES_VERSION_FULL" DOCKER_VERSION="$(variable docker_version)" \
    CNI_PLUGIN_VERSION="$(variable cni_plugin_version)" PAUSE_CONTAINER_VERSION="$(variable pause_container_version)" \
    PULL_CNI_FROM_GITHUB="$(variable pull_cni_from_github)" CACHE_CONTAINER_IMAGES=false \
    bash "$template/provisioners/install-worker.sh"
fi
run bash "$template/../shared/provisioners/cleanup.sh"
run bash "$template/provisioners/validate.sh"
rm -rf "$src" "$worker"
