"""Before anything is created: can this machine reach the Kubernetes API the stack makes? Asked of a real HTTP
answer (a local stand-in for checkip.amazonaws.com), compared as networks."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable, Iterator

import pulumi
import pytest

from hardened_eks import endpoint_access
from hardened_eks.config import load_config
from hardened_eks.endpoint_access import EGRESS_ENV, egress_address, endpoint_problem
from hardened_eks.mocks import HardenedEksMocks, run_with_mocks
from tests.conftest import make_raw_config


@pytest.fixture
def checkip() -> Iterator[Callable[..., str]]:
    """An HTTP server answering like checkip.amazonaws.com with the address it is told to."""
    answer = {"body": b"198.51.100.7\n"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(answer["body"])

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def url(body: bytes | None = None) -> str:
        if body is not None:
            answer["body"] = body
        return f"http://127.0.0.1:{server.server_port}/"

    yield url
    server.shutdown()
    server.server_close()


def config(**overrides):
    return load_config(make_raw_config(overrides), "test")


def test_a_runner_outside_public_access_cidrs_is_told_before_anything_exists(checkip):
    url = checkip()
    problem = endpoint_problem(config(publicAccessCidrs=["203.0.113.0/24"]), lambda: egress_address(url, env={}))
    assert problem == (
        "hardened-eks:publicAccessCidrs: ['203.0.113.0/24'] does not contain 198.51.100.7, the address this machine "
        "reaches AWS from, so `pulumi up` here could create the cluster but never its Kubernetes objects; allowed: "
        "add 198.51.100.7/32 (if it is stable), run from a machine inside the listed ranges, or use existingVpc with "
        "privateAccessCidrs and run inside that VPC")


def test_a_runner_inside_public_access_cidrs_may_deploy(checkip):
    url = checkip()
    cfg = config(publicAccessCidrs=["203.0.113.0/24", "198.51.100.0/28"])
    assert endpoint_problem(cfg, lambda: egress_address(url, env={})) is None


def test_an_unknown_egress_address_is_a_clear_problem_not_a_traceback(checkip):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    cfg = config()
    problem = endpoint_problem(cfg, lambda: egress_address(f"http://127.0.0.1:{port}/", timeout=2, env={}))
    assert problem.startswith("hardened-eks:publicAccessCidrs: cannot check that this machine may reach the "
                              f"Kubernetes API: could not ask http://127.0.0.1:{port}/")
    assert EGRESS_ENV in problem
    garbage = checkip(b"<html>captive portal</html>")
    assert "not an IP address" in endpoint_problem(cfg, lambda: egress_address(garbage, env={}))
    # Stated by hand where the lookup is blocked.
    assert egress_address("http://127.0.0.1:1/", env={EGRESS_ENV: " 203.0.113.9 "}) == "203.0.113.9"


@pytest.mark.parametrize("overrides", [
    {"amiOnly": "true"},
    {"endpointPublicAccess": "false", "publicAccessCidrs": None, "privateAccessCidrs": ["10.20.8.0/24"],
     "existingVpc": {"vpcId": "vpc-0123456789abcdef0",
                     "privateSubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]}},
    {"privateAccessCidrs": ["10.20.8.0/24"],
     "existingVpc": {"vpcId": "vpc-0123456789abcdef0",
                     "privateSubnetIds": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]}},
])
def test_no_address_is_asked_when_no_public_endpoint_is_used(overrides):
    def never() -> str:
        raise AssertionError("the egress address was asked for")

    assert endpoint_problem(config(**overrides), never) is None


def test_the_program_stops_before_any_resource_when_the_api_would_be_out_of_reach(monkeypatch):
    from hardened_eks import program

    monkeypatch.setattr(program, "running_under_mocks", lambda: False)  # as under a real engine
    monkeypatch.setenv(EGRESS_ENV, "198.51.100.7")
    mocks = HardenedEksMocks()
    with pytest.raises(pulumi.RunError) as caught:
        run_with_mocks(program.main, make_raw_config({"publicAccessCidrs": ["203.0.113.0/24"]}), mocks=mocks)
    assert "does not contain 198.51.100.7" in str(caught.value)
    assert [r for r in mocks.resources if r.type != "pulumi:pulumi:Stack"] == []


def test_mocks_are_recognised_so_plans_and_tests_ask_no_network():
    seen = []
    run_with_mocks(lambda: seen.append(endpoint_access.running_under_mocks()), {"aws:region": "us-west-2"})
    assert seen == [True]
