"""The node's TOML user data: level 1 stays stock, level 2 carries every setting and the firewall container."""

from __future__ import annotations

import csv
import dataclasses

import pytest

from hardening.bottlerocket import catalog, user_data, userdata
from hardening.catalog import summarize
from tests.bottlerocket.conftest import firewall_script, make_cluster, parsed, rule_block
from tests.conftest import SHARED_CIS

# What CIS Bottlerocket v1.0.0 level 2 asks of settings, written out independently of the catalogue.
LEVEL2_SYSCTLS = {
    "net.ipv4.conf.all.send_redirects": "0",  # 3.1.1
    "net.ipv4.conf.default.send_redirects": "0",
    "net.ipv4.conf.all.accept_source_route": "0",  # 3.2.1
    "net.ipv4.conf.default.accept_source_route": "0",
    "net.ipv6.conf.all.accept_source_route": "0",
    "net.ipv6.conf.default.accept_source_route": "0",
    "net.ipv4.conf.all.accept_redirects": "0",  # 3.2.2
    "net.ipv4.conf.default.accept_redirects": "0",
    "net.ipv6.conf.all.accept_redirects": "0",
    "net.ipv6.conf.default.accept_redirects": "0",
    "net.ipv4.conf.all.secure_redirects": "0",  # 3.2.3
    "net.ipv4.conf.default.secure_redirects": "0",
    "net.ipv4.conf.all.log_martians": "1",  # 3.2.4
    "net.ipv4.conf.default.log_martians": "1",
    "user.max_user_namespaces": "0",  # 1.4.4
}


def test_level1_joins_with_stock_settings_only() -> None:
    settings = parsed(1)
    assert set(settings) == {"kubernetes"}
    k8s = settings["kubernetes"]
    assert k8s["cluster-name"] == "hardened-eks-test"
    assert k8s["api-server"].startswith("https://")
    assert k8s["cluster-certificate"] == make_cluster().certificate_authority
    assert k8s["node-labels"] == {"hardened-eks/pattern": "bottlerocket", "hardened-eks/level": "2"}
    assert "cluster-dns-ip" not in k8s


def test_level2_sets_every_kernel_setting() -> None:
    kernel = parsed(2)["kernel"]
    assert kernel["lockdown"] == "integrity"
    assert kernel["modules"] == {"udf": {"allowed": False}, "sctp": {"allowed": False}}
    assert kernel["sysctl"] == LEVEL2_SYSCTLS


def test_level2_settings_match_the_catalogue() -> None:
    settings = parsed(2)
    for control in catalog.applied(2):
        for setting in control.method(2).settings:
            node = settings
            for part in setting.path:
                node = node[part]
            assert node == setting.value, (control.id, setting.dotted)


def test_level2_bootstrap_container_definition() -> None:
    settings = parsed(2)
    assert set(settings["bootstrap-containers"]) == {"cis-firewall"}
    container = settings["bootstrap-containers"]["cis-firewall"]
    assert container["mode"] == "always"
    assert container["essential"] is True
    # Default: Bottlerocket's own bootstrap image, so no `source` and no public registry.
    assert "source" not in container
    script = firewall_script(settings)
    assert script.startswith("#!/bin/bash\n")
    assert "install_rules iptables <<'HE_RULES'" in script
    assert "install_rules ip6tables <<'HE_RULES'" in script
    assert "# @RULES@" not in script


def test_bootstrap_image_must_be_pinned_by_digest() -> None:
    pinned = "111122223333.dkr.ecr.us-west-2.amazonaws.com/cis-firewall@sha256:" + "a" * 64
    text = user_data(2, (), make_cluster(), bootstrap_image=pinned)
    assert f'source = "{pinned}"' in text
    for loose in ("public.ecr.aws/bottlerocket/bottlerocket-bootstrap:v0.2.0",
                  "public.ecr.aws/bottlerocket/bottlerocket-bootstrap@sha256:abc"):
        with pytest.raises(ValueError, match="pinned by digest"):
            user_data(2, (), make_cluster(), bootstrap_image=loose)


def test_exclusion_keeps_the_stock_value() -> None:
    settings = parsed(2, ("1.5.2", "3.2.4", "3.3.1"))
    kernel = settings["kernel"]
    assert "lockdown" not in kernel
    assert "sctp" not in kernel["modules"]
    assert "net.ipv4.conf.all.log_martians" not in kernel["sysctl"]
    assert kernel["sysctl"]["net.ipv4.conf.all.send_redirects"] == "0"


def test_excluding_default_deny_keeps_loopback_rules_with_accept_policies() -> None:
    script = firewall_script(parsed(2, ("3.4.1.1",)))
    ipv4 = rule_block(script, "iptables")
    assert ":INPUT ACCEPT [0:0]" in ipv4 and ":OUTPUT ACCEPT [0:0]" in ipv4
    assert "-A INPUT -i lo -j ACCEPT" in ipv4
    assert "--dport 10250" not in ipv4
    assert ":INPUT DROP [0:0]" in rule_block(script, "ip6tables")


def test_excluding_every_firewall_control_drops_the_bootstrap_container() -> None:
    settings = parsed(2, ("3.4.1.1", "3.4.1.2", "3.4.2.1", "3.4.2.2"))
    assert "bootstrap-containers" not in settings
    assert settings["kernel"]["lockdown"] == "integrity"


def test_unknown_exclusion_is_named() -> None:
    with pytest.raises(ValueError, match=r"unknown control ids \['9.9.9'\]"):
        user_data(2, ("9.9.9",), make_cluster())


def test_output_is_deterministic() -> None:
    first = user_data(2, ("3.3.1",), make_cluster(node_labels={"b": "2", "a": "1"}))
    second = user_data(2, ("3.3.1",), make_cluster(node_labels={"a": "1", "b": "2"}))
    assert first == second
    assert first.index('a = "1"') < first.index('b = "2"')


def test_cluster_dns_ip_and_ipv6_cluster() -> None:
    settings = parsed(2, cluster_dns_ip="fd00:10:96::a", ip_family="ipv6")
    assert settings["kubernetes"]["cluster-dns-ip"] == "fd00:10:96::a"
    assert "--dport 10250" in rule_block(firewall_script(settings), "ip6tables")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("api_server_endpoint", "http://insecure", "must start with https://"),
    ("certificate_authority", "not base64!", "not base64"),
    ("ip_family", "dual", "ip_family 'dual'"),
    ("vpc_cidr", "10.0.0.0/33", "vpc_cidr '10.0.0.0/33'"),
    ("node_port_cidrs", ("nowhere",), "node_port_cidrs entry 'nowhere'"),
    ("cluster_dns_ip", "10.100.0.300", "cluster_dns_ip"),
])
def test_cluster_inputs_are_validated(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_cluster(**{field: value})


def test_user_data_never_weakens_a_stock_control(monkeypatch: pytest.MonkeyPatch) -> None:
    # A (mistaken) level-2 setting that would turn setuid core dumps back on must be refused.
    controls = list(catalog.controls())
    index = next(i for i, c in enumerate(controls) if c.id == "3.1.1")
    bad = catalog.SettingValue(("kernel", "sysctl", "fs.suid_dumpable"), "1")
    method = dataclasses.replace(controls[index].met[2], settings=(*controls[index].met[2].settings, bad))
    controls[index] = dataclasses.replace(controls[index], met={2: method})
    monkeypatch.setattr(catalog, "controls", lambda: tuple(controls))
    with pytest.raises(RuntimeError, match=r"weakening 1\.4\.1"):
        userdata.settings(2, (), make_cluster())
    # Excluding the stock control lifts the guard: the operator chose to.
    userdata.settings(2, ("1.4.1",), make_cluster())


def test_catalogue_says_how_every_recommendation_is_met_per_level() -> None:
    controls = catalog.by_id()
    assert len(controls) == 28
    for control in controls.values():
        assert sorted(control.met) == [lv for lv in (1, 2) if lv >= control.level], control.id
        for method in control.met.values():
            assert (method.by == "manual") == (control.assessment == "manual"), control.id
    level2 = {c.id for c in catalog.applied(2)}
    assert {c.id for c in catalog.applied(1)} == set()
    assert level2 == {c.id for c in controls.values() if c.level == 2}


def test_matrix_and_summaries_count_configured_controls_as_applied() -> None:
    assert summarize("bottlerocket", 1) == {"applied": 11, "excepted": 0, "manual": 4, "excluded": 0,
                                            "not_implemented": 0}
    assert summarize("bottlerocket", 2) == {"applied": 24, "excepted": 0, "manual": 4, "excluded": 0,
                                            "not_implemented": 0}
    assert summarize("bottlerocket", 2, ("3.4.1.1",))["excluded"] == 1


@pytest.mark.skipif(not (SHARED_CIS / "bottlerocket-v1.0.0.tsv").exists(), reason="shared CIS lists not present")
def test_catalogue_matches_the_benchmark_list() -> None:
    with (SHARED_CIS / "bottlerocket-v1.0.0.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    controls = catalog.by_id()
    assert set(controls) == {r["id"] for r in rows}
    for row in rows:
        control = controls[row["id"]]
        assert (control.title, control.level, control.assessment) == (row["title"], int(row["level"]), row["assessment"])
        assert row["note"].split()[2] == control.check, row["id"]


def test_matrix_shows_how_each_recommendation_is_met() -> None:
    from hardening.matrix import matrix

    text = matrix(["bottlerocket"])
    level2 = text.split("level 2 (28 controls", 1)[1]
    rows = {line.split()[0]: line for line in level2.splitlines()[2:] if line.strip()}
    assert set(rows) == set(catalog.by_id())
    assert rows["1.5.2"].endswith("setting kernel.lockdown=integrity")
    assert rows["3.4.2.1"].endswith("firewall (bootstrap container)")
    assert rows["1.4.2"].endswith("stock") and rows["1.6"].endswith("manual")
