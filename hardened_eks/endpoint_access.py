"""Can the machine running `pulumi up` reach the Kubernetes API it is about to create? Asked before anything exists.

Everything Kubernetes-side (the StorageClass, the proof's ConfigGroups) and the collector's `kubectl` go from the
deploying machine to the cluster endpoint. The design (README, "Where `pulumi up` runs"):

- public endpoint (`endpointPublicAccess: true`): the deployer's egress address must be inside
  `publicAccessCidrs`, checked here against the address AWS sees (https://checkip.amazonaws.com); or the stack
  uses `existingVpc` and the deployer runs inside it, among `privateAccessCidrs` (the endpoint's name resolves
  to its private addresses there);
- private endpoint: config validation already requires `existingVpc` (a VPC that exists before the stack, with
  the deployer in it) and `privateAccessCidrs`.

GitHub-hosted runners have no stable egress address, so the shipped workflow runs on a self-hosted runner.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.request
from collections.abc import Callable

from hardened_eks.config import StackConfig

CHECKIP_URL = "https://checkip.amazonaws.com"
# Set it where the address cannot be looked up (an egress proxy that blocks checkip): the address AWS sees.
EGRESS_ENV = "HARDENED_EKS_EGRESS_ADDRESS"


class EgressUnknown(Exception):
    pass


def egress_address(url: str = CHECKIP_URL, timeout: float = 10.0, env: dict[str, str] | None = None) -> str:
    """The public IPv4 address this machine's connections to AWS come from."""
    stated = (os.environ if env is None else env).get(EGRESS_ENV, "").strip()
    text = stated
    if not text:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                text = response.read(64).decode("ascii", "replace").strip()
        except OSError as error:
            raise EgressUnknown(f"could not ask {url} for this machine's egress address ({error}); set {EGRESS_ENV} "
                                "to the address AWS sees") from None
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        where = EGRESS_ENV if stated else url
        raise EgressUnknown(f"{where} gave {text[:40]!r}, not an IP address") from None


def endpoint_problem(config: StackConfig, egress: Callable[[], str] = egress_address) -> str | None:
    """Why `pulumi up` from this machine could not create the Kubernetes objects; None when it can."""
    if config.ami_only or not config.endpoint_public_access:
        return None  # no cluster; or private, which config validation has tied to existingVpc + privateAccessCidrs
    if config.existing_vpc and config.private_access_cidrs:
        return None  # inside existingVpc the endpoint name resolves to the private endpoint
    try:
        address = ipaddress.ip_address(egress())
    except EgressUnknown as error:
        return (f"hardened-eks:publicAccessCidrs: cannot check that this machine may reach the Kubernetes API: "
                f"{error}")
    if any(address in ipaddress.ip_network(cidr) for cidr in config.public_access_cidrs):
        return None
    return (f"hardened-eks:publicAccessCidrs: {list(config.public_access_cidrs)} does not contain {address}, the "
            "address this machine reaches AWS from, so `pulumi up` here could create the cluster but never its "
            f"Kubernetes objects; allowed: add {address}/{address.max_prefixlen} (if it is stable), run from a "
            "machine inside the listed ranges, or use existingVpc with privateAccessCidrs and run inside that VPC")


def running_under_mocks() -> bool:
    """Unit tests and `make plan` run the program against mocks: no endpoint will be reached, none is asked."""
    from pulumi.runtime import settings
    from pulumi.runtime.mocks import MockMonitor

    return isinstance(getattr(settings.SETTINGS, "monitor", None), MockMonitor)
