"""How a method-2 build finds its CIS Marketplace image."""

from __future__ import annotations

import re

import pytest

from hardened_eks.config import ConfigError, load_config
from hardened_eks.patterns import PATTERNS

CIS = {"patterns": [{"pattern": "cis-al2023", "levels": [1, 2]}]}


def ami_lookups(mocks) -> list[dict]:
    return [{f["name"]: f["values"] for f in inputs["filters"]} | {"owners": inputs["owners"]}
            for token, inputs in mocks.invokes if token == "aws:ec2/getAmi:getAmi"]


def test_a_product_code_in_the_registry_pins_the_sellers_product(run_program, monkeypatch):
    monkeypatch.setitem(PATTERNS["cis-al2023"].source.product_codes, 2, "examplecode0123456789")
    lookups = {tuple(q["name"]): q for q in ami_lookups(run_program(CIS))}
    level_2 = lookups[("CIS Amazon Linux 2023 Benchmark - Level 2*",)]
    assert level_2["product-code"] == ["examplecode0123456789"] and level_2["owners"] == ["aws-marketplace"]
    assert "product-code" not in lookups[("CIS Amazon Linux 2023 Benchmark - Level 1*",)]


def test_a_product_code_from_config_pins_the_lookup(run_program):
    code = "abcdefghij0123456789klmno"
    mocks = run_program({**CIS, "sourceProductCodes": {"cis-al2023": {"1": code}}})
    lookups = {tuple(q["name"]): q for q in ami_lookups(mocks)}
    assert lookups[("CIS Amazon Linux 2023 Benchmark - Level 1*",)]["product-code"] == [code]
    assert "product-code" not in lookups[("CIS Amazon Linux 2023 Benchmark - Level 2*",)]


def test_product_codes_are_validated_before_anything_exists(raw_config):
    for value, message in (({"eks-optimized-al2023": "abcdefghij0123456789klmno"}, "has no Marketplace source"),
                           ({"cis-al2023": {"1": "NOT-A-CODE"}}, "expected an AWS Marketplace product code"),
                           ({"cis-al2023": {"3": "abcdefghij0123456789klmno"}}, "levels are [1, 2]")):
        with pytest.raises(ConfigError, match=re.escape(message)):
            load_config(raw_config({**CIS, "sourceProductCodes": value}), "test")
