"""A fake Automation API stack: records what the driver asks and plays back output and engine events."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pulumi.automation import EngineEvent, OutputValue
from pulumi.automation._cmd import CommandResult
from pulumi.automation.errors import CommandError


def engine_event(sequence: int, **event: Any) -> EngineEvent:
    return EngineEvent.from_json({"sequence": sequence, "timestamp": 1751342400 + sequence, **event})


def step(op: str, urn: str) -> dict[str, Any]:
    return {"metadata": {"op": op, "urn": urn, "type": urn.split("::")[-2], "provider": ""}}


UP_EVENTS = [
    {"resourcePreEvent": step("create", "urn:pulumi:dev::hardened-eks::aws:ec2/vpc:Vpc::network-vpc")},
    {"resOutputsEvent": step("create", "urn:pulumi:dev::hardened-eks::aws:ec2/vpc:Vpc::network-vpc")},
    {"resourcePreEvent": step("create", "urn:pulumi:dev::hardened-eks::aws:kms/key:Key::encryption-key")},
    {"summaryEvent": {"maybeCorrupt": False, "durationSeconds": 42, "resourceChanges": {"create": 2, "same": 5},
                      "PolicyPacks": {}}},
]


class FakeStack:
    def __init__(self, name: str, fail: bool = False, outputs: Mapping[str, OutputValue] | None = None,
                 during: Callable[[FakeStack], None] | None = None):
        self.name = name
        self.fail = fail
        self._outputs = outputs or {}
        self.during = during
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.config: dict[str, Any] = {}
        self.cancelled = False

    def set_all_config(self, config: Mapping[str, Any]) -> None:
        self.config.update(config)

    def _run(self, operation: str, **kwargs: Any) -> None:
        self.calls.append((operation, kwargs))
        kwargs["on_output"](f"{operation.capitalize()} (hardened-eks/{self.name})\n")
        for sequence, event in enumerate(UP_EVENTS):
            kwargs["on_event"](engine_event(sequence, **event))
        if self.during:
            self.during(self)
        if self.fail or self.cancelled:
            raise CommandError(CommandResult(stdout="", stderr="error: update failed\n  aws:ec2/vpc:Vpc network-vpc: "
                                             "UnauthorizedOperation", code=255))

    def up(self, **kwargs: Any) -> None:
        self._run("up", **kwargs)

    def preview(self, **kwargs: Any) -> None:
        self._run("preview", **kwargs)

    def destroy(self, **kwargs: Any) -> None:
        self._run("destroy", **kwargs)

    def outputs(self) -> Mapping[str, OutputValue]:
        return self._outputs

    def cancel(self) -> None:
        self.cancelled = True


class FakeFactory:
    """Stands in for `create_or_select_stack(name, work_dir=...)`."""

    def __init__(self, **per_stack: dict[str, Any]):
        self.per_stack = per_stack
        self.stacks: dict[str, FakeStack] = {}
        self.opened: list[tuple[str, Path, dict[str, str]]] = []

    def __call__(self, name: str, work_dir: Path, env: Mapping[str, str]) -> FakeStack:
        self.opened.append((name, work_dir, dict(env)))
        stack = self.stacks.get(name) or FakeStack(name, **self.per_stack.get(name, {}))
        self.stacks[name] = stack
        return stack
