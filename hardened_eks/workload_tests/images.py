"""Every container image the workload proof runs, in one place.

Registries that put no hourly quota on anonymous pulls. Every node of a stack pulls through one NAT
address, and Docker Hub allows anonymous clients 10 pulls per hour per address: the proof's ~45
first pulls would sit in ImagePullBackOff (toomanyrequests).
- Amazon ECR Public: the Docker official images under public.ecr.aws/docker/library/, and kube-bench
  (aquasecurity's release workflow publishes it there with the same tags as on Docker Hub).
- Quay (quay.io/curl/curl) for curl: the curl project's container release workflow pushes to ghcr.io,
  docker.io and quay.io only (curl/curl-container, .github/workflows/build_latest_release_multi.yml), so
  there is no public.ecr.aws/curlimages/curl of theirs; a name there could be anyone's. Quay limits
  request rates, not pulls per hour. An ECR pull-through cache of quay.io is the alternative for accounts
  that allow only ECR.

Digests: none of these could be looked up from where this was written (no registry access), and a
made-up digest is worse than a tag. Each image is therefore pinned to an exact release tag; fill in
`digest` (``sha256:...``) for each one from `crane digest <image>` or `docker buildx imagetools inspect`
and the reference switches to ``repo@digest`` everywhere. README "Workload proof" says the same.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Image:
    repository: str
    tag: str
    digest: str | None = None  # "sha256:<64 hex>"; preferred over the tag once known

    @property
    def reference(self) -> str:
        return f"{self.repository}@{self.digest}" if self.digest else f"{self.repository}:{self.tag}"


# Sample workloads and the DaemonSet: busybox has httpd, sh and the coreutils the samples need.
BUSYBOX = Image("public.ecr.aws/docker/library/busybox", "1.37.0")
# Test Jobs: curl (with WebSocket support for `exec`) plus busybox's sh and nslookup, non-root by design.
CURL = Image("quay.io/curl/curl", "8.11.1")  # 8.11 and newer speak WebSocket (kubelet exec test)
# kube-bench: CIS Kubernetes / EKS benchmark runner (its cfg/ carries eks-1.8.0).
KUBE_BENCH = Image("public.ecr.aws/aquasecurity/kube-bench", "v0.15.6")
# The image-pull negative twin: a tag that does not exist in a repository that does, so the registry
# answers "not found" (and only that answer counts as the refusal, collect.py).
MISSING = Image("quay.io/curl/curl", "hardened-eks-no-such-tag")

ALL = {"busybox": BUSYBOX, "curl": CURL, "kube-bench": KUBE_BENCH, "missing": MISSING}
