"""User data per bootstrap style, parsed back: MIME parts with the NodeConfig, bootstrap.sh arguments, TOML."""

from __future__ import annotations

import email
import shlex
import subprocess
import tomllib
from email.message import Message

import pytest
import yaml

from hardened_eks.patterns import PATTERNS, Bootstrap
from hardened_eks.user_data import (
    BOOTSTRAP_SH,
    NODECONFIG_MEDIA_TYPE,
    ClusterConnection,
    NodeBootstrap,
    UserDataError,
    encode,
    render,
)
from tests.conftest import ROOT

CLUSTER = ClusterConnection(name="hardened-eks-test", api_server_endpoint="https://ABC.gr7.us-west-2.eks.amazonaws.com",
                            certificate_authority="Q0VSVElGSUNBVEU=", service_cidr="172.20.0.0/16",
                            vpc_cidr="10.0.0.0/16")
CLUSTER_V6 = ClusterConnection(name="v6", api_server_endpoint="https://v6.eks.amazonaws.com",
                               certificate_authority="Q0E=", service_cidr="fd12:3456:789a::/108", ip_family="ipv6",
                               vpc_cidr="10.0.0.0/16")


def mime_parts(text: str) -> list[Message]:
    message = email.message_from_string(text)
    assert message.get_content_type() == "multipart/mixed"
    assert message["MIME-Version"] == "1.0"
    return list(message.get_payload())


def shell_lines(part: Message) -> list[str]:
    assert part.get_content_type() == "text/x-shellscript"
    return part.get_payload().splitlines()


def shellcheck(script: str) -> None:
    result = subprocess.run([str(ROOT / ".venv/bin/shellcheck"), "--severity=style", "-"], input=script,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("level", [1, 2])
def test_al2023_nodeconfig_part_joins_the_cluster_with_labels(level):
    parts = mime_parts(render(NodeBootstrap(PATTERNS["eks-optimized-al2023"], level), CLUSTER))
    assert [p.get_content_type() for p in parts] == [NODECONFIG_MEDIA_TYPE]
    config = yaml.safe_load(parts[0].get_payload())
    assert config["apiVersion"] == "node.eks.aws/v1alpha1" and config["kind"] == "NodeConfig"
    assert config["spec"]["cluster"] == {"name": "hardened-eks-test", "apiServerEndpoint": CLUSTER.api_server_endpoint,
                                         "certificateAuthority": "Q0VSVElGSUNBVEU=", "cidr": "172.20.0.0/16"}
    assert config["spec"]["kubelet"]["flags"] == [
        f"--node-labels=hardened-eks/level={level},hardened-eks/pattern=eks-optimized-al2023"]


def test_al2023_on_a_cis_base_adds_the_registry_bootstrap_as_a_shell_part():
    pattern = PATTERNS["cis-al2023"]
    assert pattern.extra_bootstrap
    parts = mime_parts(render(NodeBootstrap(pattern, 1), CLUSTER))
    assert [p.get_content_type() for p in parts] == [NODECONFIG_MEDIA_TYPE, "text/x-shellscript"]
    lines = shell_lines(parts[1])
    assert lines[0] == "#!/bin/bash"
    assert lines[-len(pattern.extra_bootstrap):] == list(pattern.extra_bootstrap)
    shellcheck(parts[1].get_payload())


def test_al2023_ipv6_uses_the_ipv6_service_cidr():
    parts = mime_parts(render(NodeBootstrap(PATTERNS["eks-optimized-al2023"], 1), CLUSTER_V6))
    assert yaml.safe_load(parts[0].get_payload())["spec"]["cluster"]["cidr"] == "fd12:3456:789a::/108"


def bootstrap_command(text: str) -> tuple[list[str], list[str]]:
    (part,) = mime_parts(text)
    lines = shell_lines(part)
    shellcheck(part.get_payload())
    command = shlex.split(lines[-1])
    assert command[0] == BOOTSTRAP_SH
    return lines, command[1:]


def options(arguments: list[str]) -> dict[str, str]:
    return dict(zip(arguments[1::2], arguments[2::2], strict=True))


def test_al2_bootstrap_sh_gets_every_cluster_fact_and_the_labels():
    lines, arguments = bootstrap_command(render(NodeBootstrap(PATTERNS["eks-optimized-al2"], 2), CLUSTER))
    assert lines[:2] == ["#!/bin/bash", "set -o errexit -o nounset -o pipefail"] and len(lines) == 3
    assert arguments[0] == "hardened-eks-test"
    assert options(arguments) == {
        "--apiserver-endpoint": CLUSTER.api_server_endpoint, "--b64-cluster-ca": "Q0VSVElGSUNBVEU=",
        "--ip-family": "ipv4", "--dns-cluster-ip": "172.20.0.10",
        "--kubelet-extra-args": "--node-labels=hardened-eks/level=2,hardened-eks/pattern=eks-optimized-al2"}


def test_al2_ipv6_passes_the_service_cidr_and_its_dns_address():
    _, arguments = bootstrap_command(render(NodeBootstrap(PATTERNS["eks-optimized-al2"], 1), CLUSTER_V6))
    given = options(arguments)
    assert given["--ip-family"] == "ipv6" and given["--service-ipv6-cidr"] == "fd12:3456:789a::/108"
    assert given["--dns-cluster-ip"] == "fd12:3456:789a::a"


def test_al2_on_a_cis_base_opens_the_firewall_before_joining():
    pattern = PATTERNS["cis-al2"]
    lines, _ = bootstrap_command(render(NodeBootstrap(pattern, 1), CLUSTER))
    assert lines[2:-1] == list(pattern.extra_bootstrap)


def test_shell_arguments_are_quoted():
    odd = ClusterConnection(name="x; reboot", api_server_endpoint="https://e", certificate_authority="Q0E=",
                            service_cidr="10.100.0.0/16")
    _, arguments = bootstrap_command(render(NodeBootstrap(PATTERNS["eks-optimized-al2"], 1), odd))
    assert arguments[0] == "x; reboot"


@pytest.mark.parametrize("level", [1, 2])
def test_bottlerocket_toml_carries_the_cluster_and_labels(level):
    text = render(NodeBootstrap(PATTERNS["bottlerocket"], level), CLUSTER)
    kubernetes = tomllib.loads(text)["settings"]["kubernetes"]
    assert kubernetes["cluster-name"] == "hardened-eks-test"
    assert kubernetes["api-server"] == CLUSTER.api_server_endpoint
    assert kubernetes["cluster-certificate"] == "Q0VSVElGSUNBVEU="
    assert kubernetes["cluster-dns-ip"] == "172.20.0.10"
    assert kubernetes["node-labels"] == {"hardened-eks/level": str(level), "hardened-eks/pattern": "bottlerocket"}


def test_bottlerocket_level_2_is_stricter_and_exclusions_reach_it():
    level1 = tomllib.loads(render(NodeBootstrap(PATTERNS["bottlerocket"], 1), CLUSTER))["settings"]
    level2_text = render(NodeBootstrap(PATTERNS["bottlerocket"], 2), CLUSTER)
    assert "bootstrap-containers" in tomllib.loads(level2_text)["settings"]
    assert "bootstrap-containers" not in level1
    excluded_text = render(NodeBootstrap(PATTERNS["bottlerocket"], 2, excluded=("3.3.1",)), CLUSTER)
    assert excluded_text != level2_text and "3.3.1" in excluded_text.splitlines()[0]


@pytest.mark.parametrize("name", list(PATTERNS))
def test_every_pattern_renders_deterministically(name):
    node = NodeBootstrap(PATTERNS[name], 1)
    first = render(node, CLUSTER)
    assert first == render(node, CLUSTER)
    if PATTERNS[name].bootstrap is Bootstrap.BOTTLEROCKET_TOML:
        tomllib.loads(first)
    else:
        assert mime_parts(first)
    assert encode(first) == encode(render(node, CLUSTER))


@pytest.mark.parametrize(("change", "message"), [
    ({"api_server_endpoint": "http://plain"}, "https://"),
    ({"certificate_authority": "not base64!"}, "base64"),
    ({"service_cidr": "fd00::/108"}, "does not match"),
    ({"service_cidr": "nonsense"}, "not a CIDR"),
    ({"ip_family": "ipv5"}, "ipv4 or ipv6"),
    ({"name": ""}, "empty"),
])
def test_cluster_facts_that_cannot_bootstrap_a_node_are_refused(change, message):
    values = {"name": "c", "api_server_endpoint": "https://e", "certificate_authority": "Q0E=",
              "service_cidr": "10.100.0.0/16", **change}
    with pytest.raises(UserDataError, match=message):
        ClusterConnection(**values)
