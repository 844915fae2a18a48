"""Reports beside the state: S3 keys and content types (botocore Stubber), local history."""

from __future__ import annotations

import io
import json
import os

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber

from pipeline.store import LocalStore, PreviousUnreadable, remote_store


def s3_client():
    return boto3.client("s3", region_name="us-west-2", aws_access_key_id="testing", aws_secret_access_key="testing")


def test_remote_store_only_for_s3_backends() -> None:
    assert remote_store(None) is None and remote_store("file:///tmp/state") is None
    assert remote_store("https://api.pulumi.com") is None
    regions = []
    store = remote_store("s3://acme-pulumi-state/team-a?region=eu-central-1&awssdk=v2",
                         client_factory=lambda region: regions.append(region) or "client")
    assert (store.bucket, store.prefix, store.client, regions) == ("acme-pulumi-state", "team-a", "client", ["eu-central-1"])
    assert store.location == "s3://acme-pulumi-state/team-a/reports"


def test_s3_previous_and_publish() -> None:
    client = s3_client()
    store = remote_store("s3://acme-pulumi-state?region=us-west-2", client_factory=lambda region: client)
    body = json.dumps({"kind": "report"}).encode()
    with Stubber(client) as stub:
        stub.add_client_error("get_object", "NoSuchKey", http_status_code=404,
                              expected_params={"Bucket": "acme-pulumi-state", "Key": "reports/dev/report.json"})
        stub.add_response("get_object", {"Body": StreamingBody(io.BytesIO(body), len(body))},
                          {"Bucket": "acme-pulumi-state", "Key": "reports/dev/report.json"})
        for key, content_type in (("reports/dev/report.md", "text/markdown; charset=utf-8"),
                                  ("reports/dev/history/2025-07-01T05-00-00Z/report.md", "text/markdown; charset=utf-8")):
            stub.add_response("put_object", {"ETag": '"abc"'}, {"Bucket": "acme-pulumi-state", "Key": key, "Body": ANY,
                                                                "ContentType": content_type})
        assert store.previous("dev") is None
        assert store.previous("dev") == {"kind": "report"}
        assert store.publish("dev", {"report.md": b"# report"}, "2025-07-01T05:00:00Z") == [
            "s3://acme-pulumi-state/reports/dev/report.md",
            "s3://acme-pulumi-state/reports/dev/history/2025-07-01T05-00-00Z/report.md"]
        stub.assert_no_pending_responses()


def test_local_store_keeps_history(tmp_path) -> None:
    store = LocalStore(tmp_path)
    assert store.previous("dev") is None
    store.publish("dev", {"report.json": b'{"n": 1}'}, "2025-06-01T05:00:00Z")
    store.publish("dev", {"report.json": b'{"n": 2}'}, "2025-07-01T05:00:00Z")
    assert store.previous("dev") == {"n": 2}
    assert sorted(p.name for p in (tmp_path / "dev" / "history").iterdir()) == ["2025-06-01T05-00-00Z",
                                                                                 "2025-07-01T05-00-00Z"]


@pytest.mark.parametrize(("body", "reason"), [
    (b"{not json", "s3://acme-pulumi-state/reports/dev/report.json is not JSON: Expecting property name"),
    (b'{"kind": "\xff"}', "s3://acme-pulumi-state/reports/dev/report.json is not UTF-8 text (byte 10)"),
    (b"[" * 100_000, "s3://acme-pulumi-state/reports/dev/report.json: JSON nested too deeply to read"),
])
def test_a_corrupted_previous_report_in_s3_is_named_not_a_crash(body, reason) -> None:
    client = s3_client()
    store = remote_store("s3://acme-pulumi-state?region=us-west-2", client_factory=lambda region: client)
    with Stubber(client) as stub:
        stub.add_response("get_object", {"Body": StreamingBody(io.BytesIO(body), len(body))},
                          {"Bucket": "acme-pulumi-state", "Key": "reports/dev/report.json"})
        with pytest.raises(PreviousUnreadable) as error:
            store.previous("dev")
    assert str(error.value).startswith(reason)


def test_a_corrupted_or_odd_local_previous_report_is_named(tmp_path) -> None:
    store = LocalStore(tmp_path)
    (tmp_path / "dev").mkdir()
    stored = tmp_path / "dev" / "report.json"
    stored.write_text("{not json")
    with pytest.raises(PreviousUnreadable, match=r"report\.json is not JSON"):
        store.previous("dev")
    stored.unlink()
    os.mkfifo(stored)
    with pytest.raises(PreviousUnreadable, match=r"report\.json is a FIFO, not a regular file"):
        store.previous("dev")  # refused, never opened: a FIFO without writer would block here
