"""A moto server for tests that play AWS's behaviour across processes (the runner, a fake Packer, a delete
run from another checkout): boto3 reaches it through AWS_ENDPOINT_URL, like a real endpoint."""

from __future__ import annotations

import socket
import urllib.request

import boto3
import pytest
from moto.server import ThreadedMotoServer

REGIONS = ("us-west-2", "us-east-1", "eu-west-1")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def aws(moto_endpoint, monkeypatch):
    """An empty AWS account behind the moto server, for this process and the processes it starts."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"), timeout=30)
    for name, value in {"AWS_ENDPOINT_URL": moto_endpoint, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
                        "AWS_DEFAULT_REGION": "us-west-2"}.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    return moto_endpoint


def ec2(region: str = "us-west-2"):
    return boto3.client("ec2", region_name=region)


def stack_images(stack: str, region: str) -> list[dict]:
    return ec2(region).describe_images(Owners=["self"], Filters=[
        {"Name": "tag:hardened-eks:stack", "Values": [stack]}])["Images"]


def snapshots_of(images: list[dict]) -> list[str]:
    return [m["Ebs"]["SnapshotId"] for i in images for m in i.get("BlockDeviceMappings", []) if "Ebs" in m]


def existing_snapshots(region: str, snapshot_ids: list[str]) -> list[str]:
    if not snapshot_ids:
        return []
    return [s["SnapshotId"] for s in ec2(region).describe_snapshots(
        OwnerIds=["self"], Filters=[{"Name": "snapshot-id", "Values": snapshot_ids}])["Snapshots"]]
