"""Under Pulumi mocks: one Bottlerocket node group per selected level, on the stock AMI, with TOML user data."""

from __future__ import annotations

import base64
import tomllib
from typing import Any

import pytest

from hardened_eks.mocks import fake_id

SSM_X86 = "/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id"


@pytest.fixture(scope="module")
def mocks() -> Any:
    from hardened_eks import program
    from hardened_eks.mocks import run_with_mocks
    from tests.conftest import make_raw_config

    config = {"patterns": [{"pattern": "bottlerocket", "levels": [1, 2]}], "exclusions": {"bottlerocket": ["3.3.1"]}}
    return run_with_mocks(program.main, make_raw_config(config), stack="test")


def _settings(launch_template: Any) -> dict[str, Any]:
    text = base64.b64decode(launch_template.inputs["userData"]).decode()
    return tomllib.loads(text)["settings"]


def test_stock_ami_from_the_bottlerocket_ssm_parameter(mocks: Any) -> None:
    looked_up = [i["name"] for token, i in mocks.invokes if token == "aws:ssm/getParameter:getParameter"]
    assert set(looked_up) == {SSM_X86}
    templates = mocks.of_type("aws:ec2/launchTemplate:LaunchTemplate")
    assert len(templates) == 2
    assert {t.inputs["imageId"] for t in templates} == {fake_id("ami", SSM_X86)}
    # No AMI build for Bottlerocket.
    assert not [r for r in mocks.resources if "packer" in r.name.lower() or r.type.startswith("command:")]


def test_one_node_group_per_level_with_its_own_user_data(mocks: Any) -> None:
    groups = {r.inputs["labels"]["hardened-eks/level"]: r for r in mocks.of_type("eks:index:ManagedNodeGroup")}
    assert set(groups) == {"1", "2"}
    templates = {t.name: t for t in mocks.of_type("aws:ec2/launchTemplate:LaunchTemplate")}
    by_level = {level: _settings(t) for level in ("1", "2")
                for name, t in templates.items() if f"level{level}" in name}
    assert set(by_level) == {"1", "2"}
    level1, level2 = by_level["1"], by_level["2"]
    assert set(level1) == {"kubernetes"}
    assert level1["kubernetes"]["node-labels"]["hardened-eks/level"] == "1"
    assert level2["kernel"]["lockdown"] == "integrity"
    assert "sctp" not in level2["kernel"]["modules"]  # excluded in the stack config
    assert level2["bootstrap-containers"]["cis-firewall"]["essential"] is True
    for settings in (level1, level2):
        assert settings["kubernetes"]["api-server"].startswith("https://")
        assert settings["kubernetes"]["cluster-name"]
