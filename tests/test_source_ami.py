"""How a method-2 build finds its CIS Marketplace image."""

from __future__ import annotations

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
