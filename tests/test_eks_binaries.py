"""Which EKS node binaries a method-2 build installs: the amazon-eks bucket's layout, as amazon-eks-ami reads it."""

from __future__ import annotations

import pytest

from hardened_eks.ami_build.eks_binaries import NoEksBinaries, newest_linux_binaries


def bucket(*keys: str):
    """A listing of the bucket as S3 answers it: delimited prefixes, and whether anything is under a prefix."""

    def list_prefixes(prefix: str) -> list[str]:
        below = {prefix + k[len(prefix):].split("/", 1)[0] + "/" for k in keys if k.startswith(prefix) and "/" in
                 k[len(prefix):]}
        return sorted(below)

    def has_objects(prefix: str) -> bool:
        return any(k.startswith(prefix) for k in keys)

    return list_prefixes, has_objects


def test_the_newest_patch_wins_by_version_not_by_text():
    found = newest_linux_binaries("1.33", *bucket("1.33.9/2025-08-01/bin/linux/amd64/kubelet",
                                                   "1.33.10/2025-09-19/bin/linux/amd64/kubelet"))
    assert found == "1.33.10/2025-09-19"


def test_a_build_date_with_only_windows_binaries_is_passed_over():
    found = newest_linux_binaries("1.33", *bucket("1.33.5/2025-09-01/bin/linux/amd64/kubelet",
                                                   "1.33.5/2025-10-01/bin/windows/amd64/kubelet.exe"))
    assert found == "1.33.5/2025-09-01"


def test_the_build_must_have_the_nodes_architecture():
    keys = ("1.33.5/2025-10-01/bin/linux/amd64/kubelet", "1.33.5/2025-09-01/bin/linux/arm64/kubelet",
            "1.33.5/2025-09-01/bin/linux/amd64/kubelet")
    assert newest_linux_binaries("1.33", *bucket(*keys), architecture="arm64") == "1.33.5/2025-09-01"
    assert newest_linux_binaries("1.33", *bucket(*keys), architecture="x86_64") == "1.33.5/2025-10-01"


def test_a_minor_prefix_does_not_match_a_longer_minor():
    """`1.3` must not pick 1.30's binaries (a listing by the bare prefix would)."""
    with pytest.raises(NoEksBinaries, match=r"Kubernetes 1\.3;"):
        newest_linux_binaries("1.3", *bucket("1.30.2/2025-01-01/bin/linux/amd64/kubelet"))


def test_no_linux_binaries_is_a_clear_error():
    with pytest.raises(NoEksBinaries, match=r"s3://amazon-eks \(us-west-2\) has no Linux x86_64 EKS node binaries"):
        newest_linux_binaries("1.35", *bucket("1.35.0/2026-01-01/bin/windows/amd64/kubelet.exe"))


def test_the_plan_hashes_the_binaries_it_resolved(run_program):
    from hardened_eks.ami_build.spec import SPEC_ENV, BuildSpec

    mocks = run_program({"patterns": [{"pattern": "cis-al2023", "levels": [1]},
                                      {"pattern": "eks-optimized-al2023", "levels": [1]}]})
    specs = {s.pattern: s for s in (BuildSpec.from_json(c.inputs["environment"][SPEC_ENV])
                                    for c in mocks.of_type("command:local:Command"))}
    # The mocked bucket's newest 1.33 build date holds only Windows binaries (hardened_eks/mocks.py).
    assert specs["cis-al2023"].eks_binaries == "1.33.10/2026-10-15"
    assert specs["eks-optimized-al2023"].eks_binaries == ""  # method 1 keeps the EKS AMI's own binaries
    assert "eks_binaries" in specs["cis-al2023"].content()
