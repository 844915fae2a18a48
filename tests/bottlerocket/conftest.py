"""Shared inputs for the Bottlerocket tests."""

from __future__ import annotations

import base64
import tomllib
from typing import Any

import pytest

from hardening.bottlerocket import BottlerocketCluster, user_data

CA = base64.b64encode(b"-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n").decode()


def make_cluster(**overrides: Any) -> BottlerocketCluster:
    values: dict[str, Any] = {
        "name": "hardened-eks-test",
        "api_server_endpoint": "https://0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com",
        "certificate_authority": CA,
        "vpc_cidr": "10.20.0.0/16",
        "node_labels": {"hardened-eks/pattern": "bottlerocket", "hardened-eks/level": "2"},
    }
    values.update(overrides)
    return BottlerocketCluster(**values)


def parsed(level: int, excluded: tuple[str, ...] = (), **cluster: Any) -> dict[str, Any]:
    return tomllib.loads(user_data(level, excluded, make_cluster(**cluster)))["settings"]


def firewall_script(settings: dict[str, Any]) -> str:
    container = settings["bootstrap-containers"]["cis-firewall"]
    return base64.b64decode(container["user-data"], validate=True).decode()


def rule_block(script: str, tool: str) -> str:
    """The iptables-restore input the script feeds to `tool` (iptables or ip6tables)."""
    start = script.index(f"install_rules {tool} <<'HE_RULES'\n") + len(f"install_rules {tool} <<'HE_RULES'\n")
    return script[start:script.index("HE_RULES\n", start)]


@pytest.fixture
def cluster() -> BottlerocketCluster:
    return make_cluster()
