"""Shared fixtures: raw stack config in Pulumi's stored form, and the program run under mocks."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hardened_eks.mocks import HardenedEksMocks, run_with_mocks  # noqa: E402

SHARED_CIS = ROOT.parent / "shared" / "cis"
# moto server (`aws`) and fake Packer (`fake_packer`) fixtures of the AMI build tests
pytest_plugins = ("tests.aws_server", "tests.ami_fixtures")

BASE_CONFIG: dict[str, Any] = {
    "aws:region": "us-west-2",
    "hardened-eks:kubernetesVersion": "1.33",
    "hardened-eks:patterns": [
        {"pattern": "eks-optimized-al2023", "levels": [1, 2]},
        {"pattern": "bottlerocket", "levels": [1, 2]},
    ],
    "hardened-eks:publicAccessCidrs": ["203.0.113.10/32"],
}


def make_raw_config(overrides: dict[str, Any] | None = None, drop: tuple[str, ...] = ()) -> dict[str, str]:
    """Config as the Pulumi engine hands it over: objects as JSON text, scalars as text.

    Keys without a namespace get `hardened-eks:`; a value of None removes the key.
    """
    merged = dict(BASE_CONFIG)
    for key, value in (overrides or {}).items():
        merged[key if ":" in key else f"hardened-eks:{key}"] = value
    raw = {}
    for key, value in merged.items():
        if value is None or key in drop or key.split(":", 1)[-1] in drop:
            continue
        raw[key] = json.dumps(value) if isinstance(value, dict | list) else (
            str(value).lower() if isinstance(value, bool) else str(value))
    return raw


@pytest.fixture
def raw_config() -> Callable[..., dict[str, str]]:
    return make_raw_config


@pytest.fixture
def run_program() -> Callable[..., HardenedEksMocks]:
    """Run the whole program for a config and return the mocks with every resource recorded."""

    def run(overrides: dict[str, Any] | None = None, stack: str = "test", mocks: HardenedEksMocks | None = None,
            **kwargs: Any) -> HardenedEksMocks:
        from hardened_eks import program

        return run_with_mocks(program.main, make_raw_config(overrides, **kwargs), stack=stack, mocks=mocks)

    return run
