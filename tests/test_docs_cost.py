"""The README's cost table follows the stack file and the program: change the config, the counts and prices move.

Each case writes a stack file, runs the real program under mocks (as `make plan` does) through
hardened_eks.cost, and reads the generated Markdown.
"""

from __future__ import annotations

import datetime
import re

import pytest
import yaml

from hardened_eks import cost, docs
from tests.conftest import ROOT

BASE = {
    "aws:region": "us-west-2",
    "hardened-eks:kubernetesVersion": "1.33",
    "hardened-eks:publicAccessCidrs": ["203.0.113.10/32"],
    "hardened-eks:patterns": [{"pattern": "eks-optimized-al2023", "levels": [1, 2]}],
}


def table_for(tmp_path, name, **config):
    (tmp_path / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump({"config": {**BASE, **config}}))
    return cost.cost_table(cost.inventory(name, tmp_path))


def row(table: str, label: str) -> list[str]:
    (line,) = [line for line in table.splitlines() if line.startswith(f"| {label}")]
    return [cell.strip() for cell in line.strip("|").split("|")]


def dollars(text: str) -> float:
    return float(re.search(r"\$([\d,.]+)", text).group(1).replace(",", ""))


def test_prices_are_dated_estimates_for_one_region():
    prices = cost.prices()
    datetime.date.fromisoformat(prices["as_of"])
    assert prices["region"] == "us-west-2" and prices["currency"] == "USD"
    assert "ESTIMATES" in cost.PRICES_FILE.read_text()


def test_nat_gateways_and_zones_follow_the_config(tmp_path):
    single = table_for(tmp_path, "single")
    per_az = table_for(tmp_path, "perAz", **{"hardened-eks:natGateways": "perAz"})
    assert row(single, "NAT gateway")[1] == "1"
    assert row(per_az, "NAT gateway")[1] == "3"  # three zones by default
    assert dollars(row(per_az, "NAT gateway")[3]) == pytest.approx(3 * dollars(row(single, "NAT gateway")[3]))
    two_zones = table_for(tmp_path, "two", **{"hardened-eks:availabilityZoneCount": 2})
    assert int(row(two_zones, "Interface VPC endpoints")[1].split()[0]) * 3 == \
        int(row(single, "Interface VPC endpoints")[1].split()[0]) * 2


def test_node_groups_volumes_and_builds_follow_the_patterns(tmp_path):
    table = table_for(tmp_path, "al", **{"hardened-eks:nodeGroupSize": {"minSize": 1, "desiredSize": 3,
                                                                          "maxSize": 3}})
    assert row(table, "Nodes")[1] == "2 node groups x 3 = 6 `m6i.large`"
    # Level 1: the 30 GiB root; level 2 adds /var 100, /var/tmp 10, /var/log 20, /var/log/audit 10, /home 5.
    assert row(table, "Node EBS volumes")[1].startswith(f"{3 * 30 + 3 * (30 + 145)} GiB")
    assert "`eks-optimized-al2023` level 2 | harden-eks-optimized" in table
    assert dollars(row(table, "CIS Marketplace software")[3]) == 0


def test_a_cis_pattern_adds_marketplace_charges_and_longer_builds(tmp_path):
    table = table_for(tmp_path, "cis", **{"hardened-eks:patterns": [{"pattern": "cis-al2023", "levels": [1]}]})
    assert row(table, "CIS Marketplace software")[1] == "2 nodes"
    assert dollars(row(table, "CIS Marketplace software")[3]) > 0
    minutes = cost.prices()["minutes"]["ami_build"]["eks-on-cis-ami"]
    assert f"`cis-al2023` level 1 | eks-on-cis-ami | about {minutes} min" in table


def test_ami_only_has_no_cluster_and_no_nodes(tmp_path):
    table = table_for(tmp_path, "amis", **{"hardened-eks:amiOnly": True})
    assert dollars(row(table, "EKS control plane")[3]) == 0 and dollars(row(table, "Nodes")[3]) == 0


def test_an_instance_type_without_a_price_is_shown_as_unknown(tmp_path):
    table = table_for(tmp_path, "big", **{"hardened-eks:instanceType": "m6i.4xlarge"})
    assert row(table, "Nodes")[2] == "not in hardened_eks/prices.yaml" and row(table, "Nodes")[3] == "?"


def test_the_readme_block_is_regenerated_from_the_dev_stack():
    readme = (ROOT / "README.md").read_text()
    stale = re.sub(r"(<!-- BEGIN GENERATED: cost-dev -->\n).*?(\n<!-- END GENERATED: cost-dev -->)",
                   r"\1| stale |\2", readme, flags=re.S)
    assert stale != readme
    assert docs.render(stale) == docs.render(readme)
    dev = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]["hardened-eks:patterns"]
    assert {p["pattern"] for p in dev} == {"eks-optimized-al2023", "bottlerocket"}  # no Marketplace subscription
    assert "| CIS Marketplace software (cis-* patterns) | 0 nodes |" in readme
