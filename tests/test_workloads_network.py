"""The proof's NetworkPolicies, evaluated the way the VPC CNI network-policy agent enforces them.

The agent's eBPF programs sit on the pod's veth (TC hook), before kube-proxy's DNAT: a pod calling
`https://kubernetes.default.svc` is judged on the `kubernetes` Service's ClusterIP, not on the API
server endpoint's address. Its controller turns peers into address lists: an ipBlock as written, a
pod/namespace selector into the selected pods' addresses plus the ClusterIPs of the Services whose
*selector* matches the peer's pod selector (aws/amazon-network-policy-controller-k8s
`pkg/resolvers/endpoints.go`). The `kubernetes` Service has no selector, so only an ipBlock can
admit its ClusterIP.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from hardened_eks.workload_tests import load_tests
from hardened_eks.workload_tests.manifests import ProofSpec, kubernetes_service_ip, render

VPC_CIDR = "10.0.0.0/16"


@dataclass
class Pod:
    namespace: str
    labels: Mapping[str, str]
    ip: str


@dataclass
class Service:
    namespace: str
    name: str
    cluster_ip: str
    selector: Mapping[str, str] = field(default_factory=dict)  # empty: no selector (endpoints managed by hand)


@dataclass
class Cluster:
    namespaces: Mapping[str, Mapping[str, str]]  # name -> labels
    pods: list[Pod]
    services: list[Service]
    policies: list[dict[str, Any]]


def _matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in ((selector or {}).get("matchLabels") or {}).items())


def _peer_addresses(cluster: Cluster, policy_ns: str, peer: Mapping[str, Any]) -> list[ipaddress._BaseNetwork]:
    """What the controller resolves one egress peer to."""
    if "ipBlock" in peer:
        block = peer["ipBlock"]
        assert not block.get("except"), "the proof uses no ipBlock.except"
        return [ipaddress.ip_network(block["cidr"])]
    if "namespaceSelector" in peer:
        namespaces = {n for n, labels in cluster.namespaces.items() if _matches(peer["namespaceSelector"], labels)}
    else:
        namespaces = {policy_ns}
    pod_selector = peer.get("podSelector") or {}
    addresses = [ipaddress.ip_network(p.ip) for p in cluster.pods
                 if p.namespace in namespaces and _matches(pod_selector, p.labels)]
    # ClusterIPs only of Services with a selector that the peer's pod selector matches.
    addresses += [ipaddress.ip_network(s.cluster_ip) for s in cluster.services
                  if s.namespace in namespaces and s.selector
                  and _matches(pod_selector, s.selector)]
    return addresses


def egress_allowed(cluster: Cluster, pod: Pod, destination: str, port: int, protocol: str = "TCP") -> bool:
    """Is a packet from `pod` to `destination` (pre-DNAT) allowed by the egress policies selecting the pod?"""
    address = ipaddress.ip_address(destination)
    selecting = [p for p in cluster.policies if p["metadata"]["namespace"] == pod.namespace
                 and "Egress" in p["spec"]["policyTypes"] and _matches(p["spec"]["podSelector"], pod.labels)]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get("egress") or []:
            ports = rule.get("ports")
            if ports and not any(p.get("protocol", "TCP") == protocol and p.get("port") in (None, port) for p in ports):
                continue
            peers = rule.get("to")
            if not peers:
                return True
            for peer in peers:
                if any(address.version == net.version and address in net
                       for net in _peer_addresses(cluster, policy["metadata"]["namespace"], peer)):
                    return True
    return False


def cluster_for(service_cidr: str, pod_cidr_ip: str = "10.0.12.34") -> tuple[Cluster, ProofSpec, dict[str, Any]]:
    spec = ProofSpec(pattern="cis-al2023", level=2, kubernetes_version="1.33", region="us-west-2",
                     peer_namespace="proof-bottlerocket-l1")
    objects = render(spec, ami_id="ami-0123456789abcdef0", vpc_cidr=VPC_CIDR, service_cidr=service_cidr,
                     launch_template_version=4)
    network = ipaddress.ip_network(service_cidr)
    # What the API server and EKS do, computed here from the range, not from the code under test:
    # the `kubernetes` Service gets the first address of the service range, CoreDNS the tenth.
    api_ip, dns_ip = str(network[1]), str(network[10])
    namespaces = {o["metadata"]["name"]: o["metadata"].get("labels", {}) for o in objects.values()
                  if o["kind"] == "Namespace"}
    namespaces["kube-system"] = {"kubernetes.io/metadata.name": "kube-system"}
    namespaces["default"] = {"kubernetes.io/metadata.name": "default"}
    cluster = Cluster(
        namespaces=namespaces,
        pods=[Pod("kube-system", {"k8s-app": "kube-dns"}, "10.0.40.7")],
        services=[Service("default", "kubernetes", api_ip),  # no selector: endpoints are the API server's ENIs
                  Service("kube-system", "kube-dns", dns_ip, {"k8s-app": "kube-dns"})],
        policies=[o for o in objects.values() if o["kind"] == "NetworkPolicy"])
    return cluster, spec, objects


def job_pod(objects: Mapping[str, Any], test: str, ip: str = "10.0.12.34") -> Pod:
    job = objects[f"job-{test}"]
    return Pod(job["metadata"]["namespace"], job["spec"]["template"]["metadata"]["labels"], ip)


API_TESTS = [t.name for t in load_tests() if "api-client" in t.pod.labels]


@pytest.mark.parametrize("service_cidr", ["172.20.0.0/16", "10.100.0.0/16", "fd4b:c0a8:1b4b::/108"])
def test_kubelet_tests_reach_the_kubernetes_service_cluster_ip_before_dnat(service_cidr):
    cluster, _, objects = cluster_for(service_cidr)
    api_ip = str(ipaddress.ip_network(service_cidr)[1])
    assert API_TESTS == ["kubelet-logs", "kubelet-logs-forbidden", "kubelet-exec", "kubelet-exec-forbidden"]
    for name in API_TESTS:
        pod = job_pod(objects, name, "fd4b:0:0:1::12" if ":" in service_cidr else "10.0.12.34")
        assert egress_allowed(cluster, pod, api_ip, 443), f"{name}: {api_ip}:443 is dropped"
        # only the API port, and nothing else of the service range
        assert not egress_allowed(cluster, pod, api_ip, 80)
        assert not egress_allowed(cluster, pod, str(ipaddress.ip_network(service_cidr)[2]), 443)


@pytest.mark.parametrize("service_cidr", ["172.20.0.0/16", "fd4b:c0a8:1b4b::/108"])
def test_pods_without_the_api_role_cannot_reach_the_api_server(service_cidr):
    cluster, _, objects = cluster_for(service_cidr)
    api_ip = str(ipaddress.ip_network(service_cidr)[1])
    for name in ("dns-cluster", "pod-to-pod", "imds-from-pod", "rootfs-write"):
        assert not egress_allowed(cluster, job_pod(objects, name), api_ip, 443), name


def test_the_evaluator_admits_selector_backed_services_and_drops_the_selectorless_one():
    """The same evaluator lets every proof pod reach CoreDNS through its ClusterIP (a Service with a
    selector matching the DNS policy's pod selector), so the API verdict above is the ipBlock's doing."""
    cluster, _, objects = cluster_for("172.20.0.0/16")
    pod = job_pod(objects, "dns-cluster")
    assert egress_allowed(cluster, pod, "172.20.0.10", 53, "UDP")
    cluster.policies = [p for p in cluster.policies if p["metadata"]["name"] != "allow-kubernetes-api"]
    assert not egress_allowed(cluster, job_pod(objects, "kubelet-logs"), "172.20.0.1", 443)


@pytest.mark.parametrize(("cidr", "address"), [("172.20.0.0/16", "172.20.0.1"), ("10.100.0.0/16", "10.100.0.1"),
                                               ("fd4b:c0a8:1b4b::/108", "fd4b:c0a8:1b4b::1")])
def test_kubernetes_service_ip_is_the_first_address_of_the_range(cidr, address):
    assert kubernetes_service_ip(cidr) == address


@pytest.mark.parametrize("cidr", ["172.20.0.1/16", "not-a-cidr", "172.20.0.0/31"])
def test_a_bad_service_cidr_is_one_clear_error(cidr):
    with pytest.raises(ValueError, match="service CIDR"):
        kubernetes_service_ip(cidr)
