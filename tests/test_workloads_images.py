"""Every image the proof runs comes from a registry without an hourly pull quota, pinned, never from Docker Hub.

Docker Hub allows anonymous clients 10 pulls an hour per address, and every node of a stack pulls
through one NAT address. The registry a reference really goes to is decided by the container
runtime's reference normalisation (distribution/reference): a first path component without a dot,
a colon or "localhost" is not a registry, so `busybox` and `curlimages/curl` mean docker.io.
"""

from __future__ import annotations

import re

import pytest

from hardened_eks.workload_tests import images
from hardened_eks.workload_tests.manifests import ProofSpec, render

_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def registry_of(reference: str) -> str:
    """The registry host a runtime pulls `reference` from (distribution/reference's normalisation)."""
    name = reference.split("@", 1)[0]
    first, slash, _ = name.partition("/")
    if not slash or ("." not in first and ":" not in first and first != "localhost"):
        return "docker.io"
    return first


def pin_of(reference: str) -> str | None:
    """The tag or digest a reference is pinned to; None when it floats (no tag means `latest`)."""
    if "@" in reference:
        digest = reference.split("@", 1)[1]
        return digest if _DIGEST.match(digest) else None
    last = reference.rsplit("/", 1)[-1]
    if ":" not in last:
        return None
    tag = last.split(":", 1)[1]
    return tag if _TAG.match(tag) and tag != "latest" else None


@pytest.mark.parametrize(("reference", "registry"), [
    ("busybox:1.37.0", "docker.io"), ("curlimages/curl:8.16.0", "docker.io"),
    ("docker.io/library/busybox:1.37.0", "docker.io"), ("public.ecr.aws/docker/library/busybox:1.37.0", "public.ecr.aws"),
    ("localhost:5000/x:1", "localhost:5000"), ("123456789012.dkr.ecr.us-west-2.amazonaws.com/x:1",
                                              "123456789012.dkr.ecr.us-west-2.amazonaws.com")])
def test_reference_normalisation(reference, registry):
    assert registry_of(reference) == registry


def every_image() -> list[str]:
    spec = ProofSpec(pattern="al2023", level=1, kubernetes_version="1.33", region="us-west-2",
                     peer_namespace="proof-bottlerocket-l1", kube_bench_nodes=2)
    objects = render(spec, ami_id="ami-0123456789abcdef0", vpc_cidr="10.0.0.0/16", service_cidr="172.20.0.0/16")
    found = []
    for obj in objects.values():
        template = (obj.get("spec") or {}).get("template") or {}
        pod = template.get("spec") or {}
        found += [c["image"] for c in [*pod.get("initContainers", []), *pod.get("containers", [])]]
    return found


# Where each project publishes its own images (see images.py); Docker Hub is never one of them.
ALLOWED_REGISTRIES = {"public.ecr.aws", "quay.io"}


def test_every_deployed_image_comes_from_a_registry_without_pull_quotas_and_is_pinned():
    deployed = every_image()
    assert {images.BUSYBOX.reference, images.CURL.reference, images.KUBE_BENCH.reference,
            images.MISSING.reference} <= set(deployed)
    for reference in deployed:
        assert registry_of(reference) in ALLOWED_REGISTRIES, reference
        assert pin_of(reference), f"{reference} is not pinned to a tag or digest"


def test_the_missing_image_is_a_missing_tag_of_a_repository_that_exists():
    """So the registry's answer is "manifest not found" for the tag, not "no such repository" or a 401/403."""
    assert images.MISSING.repository in {i.repository for k, i in images.ALL.items() if k != "missing"}
    assert images.MISSING.tag not in {i.tag for k, i in images.ALL.items() if k != "missing"}
