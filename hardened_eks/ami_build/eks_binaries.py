"""The exact EKS node binaries a method-2 build installs, resolved when the stack is planned.

AWS publishes kubelet and its companions in the public `amazon-eks` bucket (us-west-2) under
`<kubernetes patch>/<build date>/bin/<os>/<arch>/`. amazon-eks-ami's own build picks the newest patch of
the minor version and its newest build date that has Linux binaries. We do the same, but in the Pulumi
program: the answer is part of the build hash, so a new kubelet patch is a new image, and the builder
installs exactly what the plan showed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

BUCKET = "amazon-eks"
BUCKET_REGION = "us-west-2"
# The bucket's folder per EC2 architecture.
_BUCKET_ARCH = {"x86_64": "amd64", "arm64": "arm64"}
_PATCH = re.compile(r"^(\d+)\.(\d+)\.(\d+)/$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}/$")

# prefix -> the common prefixes one level below it (a delimited listing)
ListPrefixes = Callable[[str], list[str]]
# prefix -> whether any object exists under it
HasObjects = Callable[[str], bool]


class NoEksBinaries(Exception):
    """The bucket has no Linux binaries for a Kubernetes minor version; the message is for the user."""


def newest_linux_binaries(kubernetes_version: str, list_prefixes: ListPrefixes, has_objects: HasObjects,
                          architecture: str = "x86_64") -> str:
    """`<patch>/<date>` of the newest build of this minor version that has Linux binaries for the architecture."""
    minor = tuple(int(part) for part in kubernetes_version.split("."))
    patches = []
    for prefix in list_prefixes(f"{kubernetes_version}."):
        found = _PATCH.match(prefix)
        if found and tuple(int(p) for p in found.groups()[:2]) == minor:
            patches.append((tuple(int(p) for p in found.groups()), prefix.rstrip("/")))
    for _, patch in sorted(patches, reverse=True):
        dates = sorted((p[len(patch) + 1:].rstrip("/") for p in list_prefixes(f"{patch}/")
                        if _DATE.match(p[len(patch) + 1:])), reverse=True)
        for date in dates:
            # A build date may hold only Windows binaries (amazon-eks-ami's hack/latest-binaries.sh filters too),
            # or not yet those of every architecture.
            if has_objects(f"{patch}/{date}/bin/linux/{_BUCKET_ARCH[architecture]}/"):
                return f"{patch}/{date}"
    raise NoEksBinaries(f"s3://{BUCKET} ({BUCKET_REGION}) has no Linux {architecture} EKS node binaries for "
                        f"Kubernetes {kubernetes_version}; choose a kubernetesVersion that EKS publishes node binaries "
                        "for")


def resolve(kubernetes_version: str, architecture: str, opts=None) -> str:
    """Ask the bucket through the AWS provider (an invoke, so `make plan` answers it from its mocks)."""
    import pulumi_aws as aws

    def list_prefixes(prefix: str) -> list[str]:
        return list(aws.s3.get_objects(bucket=BUCKET, prefix=prefix, delimiter="/", region=BUCKET_REGION,
                                       opts=opts).common_prefixes or [])

    def has_objects(prefix: str) -> bool:
        return bool(aws.s3.get_objects(bucket=BUCKET, prefix=prefix, max_keys=1, region=BUCKET_REGION,
                                       opts=opts).keys)

    return newest_linux_binaries(kubernetes_version, list_prefixes, has_objects, architecture)
