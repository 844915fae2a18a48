"""Result schemas: well-formed, and the validator rejects documents that break them."""

from __future__ import annotations

import json

import pytest

from hardened_eks.results import KINDS, read_result, result_path, write_result
from hardened_eks.schemas import ResultInvalid, schema_kinds, validate

BUILD = {"schemaVersion": 1, "kind": "build", "stack": "dev", "pattern": "eks-optimized-al2023", "level": 2,
         "benchmark": "al2023", "sourceAmiId": "ami-0123456789abcdef0", "amiId": "ami-0fedcba9876543210",
         "amis": [{"region": "us-west-2", "amiId": "ami-0fedcba9876543210"}], "buildHash": "a" * 64,
         "generatedAt": "2026-11-22T08:00:00Z"}


def test_every_result_kind_has_a_schema():
    assert set(KINDS) - {"audit"} <= set(schema_kinds())


def test_write_then_read_round_trips(tmp_path):
    path = write_result(tmp_path, "dev", "eks-optimized-al2023", 2, "build", BUILD)
    assert path == result_path(tmp_path, "dev", "eks-optimized-al2023", 2, "build")
    assert path.relative_to(tmp_path).as_posix() == "dev/eks-optimized-al2023/level-2/build.json"
    assert read_result(tmp_path, "dev", "eks-optimized-al2023", 2, "build") == BUILD
    assert read_result(tmp_path, "dev", "eks-optimized-al2023", 1, "build") is None


@pytest.mark.parametrize(("change", "message"), [
    ({"amiId": "ami-XYZ"}, "amiId"),
    ({"level": 3}, "level"),
    ({"generatedAt": "yesterday"}, "generatedAt"),
    ({"kind": "audit"}, "kind"),
])
def test_invalid_documents_are_rejected_with_the_path(tmp_path, change, message):
    with pytest.raises(ResultInvalid) as caught:
        write_result(tmp_path, "dev", "eks-optimized-al2023", 2, "build", {**BUILD, **change})
    assert message in str(caught.value)
    assert not list(tmp_path.rglob("*.json"))


def test_a_corrupted_file_is_rejected_on_read(tmp_path):
    path = result_path(tmp_path, "dev", "bottlerocket", 1, "build")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({**BUILD, "amis": []}))
    with pytest.raises(ResultInvalid):
        read_result(tmp_path, "dev", "bottlerocket", 1, "build")


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(KeyError, match="known kinds"):
        validate("nonsense", {})
