"""Where reports are kept: `reports/<stack>/` locally, and beside the Pulumi state when it is in S3.

The previous report (the base of the diff) is read from the same place the next one is written, so a
fresh CI runner diffs against the report of the last scheduled run.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlparse

from hardened_eks.jsonfile import MAX_BYTES, JsonFileError, read_json

REPORT_FILES = {"report.json": "application/json", "report.md": "text/markdown; charset=utf-8",
                "report.html": "text/html; charset=utf-8", "stack-outputs.json": "application/json"}


class PreviousUnreadable(ValueError):
    """The stored previous report cannot be read; the message says where and why. The next report goes on
    without a diff: one corrupted file must not block every later report."""


class ReportStore(Protocol):
    location: str

    def previous(self, stack: str) -> dict[str, Any] | None: ...

    def publish(self, stack: str, files: Mapping[str, bytes], generated_at: str) -> list[str]: ...


class LocalStore:
    """`<root>/<stack>/report.*`, and a copy per report under `history/<generatedAt>/`."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.location = str(self.root)

    def previous(self, stack: str) -> dict[str, Any] | None:
        try:
            return read_json(self.root / stack / "report.json")
        except FileNotFoundError:
            return None
        except JsonFileError as error:
            raise PreviousUnreadable(str(error)) from None

    def publish(self, stack: str, files: Mapping[str, bytes], generated_at: str) -> list[str]:
        written = []
        for folder in (self.root / stack, self.root / stack / "history" / _safe(generated_at)):
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in files.items():
                written.append(str(_write_atomically(folder / name, content)))
        return written


class S3Store:
    """`s3://<bucket>/<prefix>/reports/<stack>/report.*` beside the state of an S3 Pulumi backend."""

    def __init__(self, bucket: str, prefix: str, client: Any):
        self.bucket, self.prefix, self.client = bucket, prefix.strip("/"), client
        self.location = f"s3://{bucket}/{self._key('')}"

    def _key(self, name: str) -> str:
        return "/".join(part for part in (self.prefix, "reports", name) if part)

    def previous(self, stack: str) -> dict[str, Any] | None:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(f"{stack}/report.json"))
        except self.client.exceptions.NoSuchKey:
            return None
        where = f"s3://{self.bucket}/{self._key(f'{stack}/report.json')}"
        body = response["Body"].read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise PreviousUnreadable(f"{where} is larger than the limit of {MAX_BYTES} bytes")
        try:
            return json.loads(body.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise PreviousUnreadable(f"{where} is not UTF-8 text (byte {error.start})") from None
        except RecursionError:
            raise PreviousUnreadable(f"{where}: JSON nested too deeply to read") from None
        except json.JSONDecodeError as error:
            raise PreviousUnreadable(f"{where} is not JSON: {error}") from None

    def publish(self, stack: str, files: Mapping[str, bytes], generated_at: str) -> list[str]:
        written = []
        for folder in (stack, f"{stack}/history/{_safe(generated_at)}"):
            for name, content in files.items():
                key = self._key(f"{folder}/{name}")
                self.client.put_object(Bucket=self.bucket, Key=key, Body=content,
                                       ContentType=REPORT_FILES.get(name, "application/octet-stream"))
                written.append(f"s3://{self.bucket}/{key}")
        return written


def remote_store(backend_url: str | None, client_factory: Callable[[str | None], Any] | None = None) -> S3Store | None:
    """The store beside an S3 state backend (`s3://bucket[/prefix][?region=...]`), or None for other backends."""
    if not backend_url or not backend_url.startswith("s3://"):
        return None
    parsed = urlparse(backend_url)
    region = (parse_qs(parsed.query).get("region") or [None])[0]
    if client_factory is None:
        import boto3

        def client_factory(region_name: str | None) -> Any:
            return boto3.client("s3", region_name=region_name)

    return S3Store(parsed.netloc, parsed.path, client_factory(region))


def _safe(timestamp: str) -> str:
    return timestamp.replace(":", "-")


def _write_atomically(path: Path, content: bytes) -> Path:
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(content)
    os.replace(handle.name, path)
    return path
