"""The Automation API layer: run `up`, `preview` or `destroy` on one or more stacks of this project.

Thin on purpose: stacks come from an injectable factory (the real one is
`pulumi.automation.create_or_select_stack`), so tests drive it with a fake stack.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from hardened_eks.preflight import INSTALL_HINTS, LOCAL_STATE_DIR, POLICY_PACK_DIR, PROJECT_DIR

EXIT_OK = 0
EXIT_DEPLOY_FAILED = 1
EXIT_GATE_FAILED = 2
EXIT_INTERRUPTED = 130


class PipelineError(Exception):
    """A problem the user can fix, reported as one message without a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_DEPLOY_FAILED):
        super().__init__(message)
        self.exit_code = exit_code


class StackLike(Protocol):
    """The part of `pulumi.automation.Stack` the pipeline uses."""

    name: str

    def set_all_config(self, config: Mapping[str, Any]) -> None: ...
    def up(self, **kwargs: Any) -> Any: ...
    def preview(self, **kwargs: Any) -> Any: ...
    def destroy(self, **kwargs: Any) -> Any: ...
    def outputs(self) -> Mapping[str, Any]: ...
    def cancel(self) -> None: ...


StackFactory = Callable[[str, Path, Mapping[str, str]], StackLike]


def automation_stack(name: str, work_dir: Path, env: Mapping[str, str]) -> StackLike:
    """Create or select a stack of the project in `work_dir` with the Pulumi CLI."""
    from pulumi import automation as auto

    provider = env.get("PULUMI_SECRETS_PROVIDER") or None
    settings = stack_settings_with_provider(name, work_dir, provider)
    options = auto.LocalWorkspaceOptions(
        env_vars=dict(env),
        # Used by `stack init` only, i.e. when the stack is new.
        secrets_provider=provider,
        # Recorded in Pulumi.<stack>.yaml for every run: a runner's checkout of the committed file names no provider,
        # and for an existing stack on a DIY backend the CLI would then fall back to a passphrase manager.
        stack_settings={name: settings} if settings else None,
    )
    return auto.create_or_select_stack(name, work_dir=str(work_dir), opts=options)


def stack_settings_with_provider(name: str, work_dir: Path, provider: str | None) -> Any:
    """The stack's settings file as committed, plus `secretsprovider`; None when there is nothing to record.

    Built from the YAML itself: the SDK's StackSettings reader keeps only string and secure config values, so a
    read-modify-write through it would drop list and mapping values (hardened-eks:patterns) from the file.
    """
    from pulumi.automation import StackSettings
    from pulumi.automation._stack_settings import StackSettingsSecureConfigValue

    if not provider:
        return None
    path = work_dir / f"Pulumi.{name}.yaml"
    try:
        document = (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}
    except yaml.YAMLError as error:
        raise PipelineError(f"pipeline: {path.name} is not valid YAML: {error}") from None
    recorded = document.get("secretsprovider")
    if recorded == provider:
        return None
    if recorded:
        raise PipelineError(f"pipeline: {path.name} records secretsprovider {recorded!r} but PULUMI_SECRETS_PROVIDER is "
                            f"{provider!r}; use the provider the stack was made with (`pulumi stack "
                            "change-secrets-provider` moves a stack to another)")
    config = {key: StackSettingsSecureConfigValue(value["secure"]) if isinstance(value, dict) and set(value) == {"secure"}
              else value for key, value in (document.get("config") or {}).items()}
    return StackSettings(secrets_provider=provider, encrypted_key=document.get("encryptedkey"),
                         encryption_salt=document.get("encryptionsalt"), config=config or None)


# --- checks before anything runs --------------------------------------------------------------


def require_pulumi_cli(which: Callable[[str], str | None] = shutil.which) -> None:
    if which("pulumi") is None:
        raise PipelineError(f"pipeline: pulumi not found: {INSTALL_HINTS['pulumi']}")


def resolve_backend(env: Mapping[str, str], allow_local: bool) -> dict[str, str]:
    """The environment Pulumi runs with; refuses a local state backend in CI, where state would be lost."""
    resolved = dict(env)
    url = env.get("PULUMI_BACKEND_URL", "")
    local = not url or url.startswith("file://")
    in_ci = env.get("CI", "").lower() not in ("", "0", "false")
    if local and in_ci and not allow_local:
        raise PipelineError(
            "pipeline: refusing a local state backend in CI (the runner's disk and the state on it are thrown away); "
            "set PULUMI_BACKEND_URL=s3://<bucket>?region=<region> and PULUMI_SECRETS_PROVIDER=awskms://alias/<key>"
            "?region=<region>, or pass --allow-local-backend")
    if local:
        resolved["PULUMI_BACKEND_URL"] = url or f"file://{LOCAL_STATE_DIR}"
        LOCAL_STATE_DIR.mkdir(exist_ok=True)
    passphrase = env.get("PULUMI_CONFIG_PASSPHRASE") or env.get("PULUMI_CONFIG_PASSPHRASE_FILE")
    if not env.get("PULUMI_SECRETS_PROVIDER") and not passphrase and not url.startswith(("https://", "http://")):
        raise PipelineError(
            "pipeline: no secrets provider: set PULUMI_SECRETS_PROVIDER=awskms://alias/<key>?region=<region> "
            "(CI) or PULUMI_CONFIG_PASSPHRASE (laptop); the stack's secrets, such as the kubeconfig, are encrypted with it")
    return resolved


def policy_packs(policy_dir: Path = POLICY_PACK_DIR) -> list[str]:
    return [str(policy_dir)] if (policy_dir / "PulumiPolicy.yaml").exists() else []


# --- running stacks ----------------------------------------------------------------------------


class Printer:
    """Thread-safe line printer; every line of a stack carries the stack's name."""

    def __init__(self, write: Callable[[str], None] = print):
        self._write = write
        self._lock = threading.Lock()

    def __call__(self, stack: str, text: str) -> None:
        with self._lock:
            for line in text.rstrip("\n").splitlines() or [""]:
                self._write(f"[{stack}] {line}")


@dataclass
class Progress:
    """Counts resource steps from engine events and reports them now and then."""

    stack: str
    printer: Printer
    interval_seconds: float = 30.0
    clock: Callable[[], float] = time.monotonic
    started: int = 0
    done: int = 0
    failed: int = 0
    _last: float = field(default=0.0, repr=False)

    def on_event(self, event: Any) -> None:
        if getattr(event, "resource_pre_event", None) and not event.resource_pre_event.planning:
            self.started += 1
        elif getattr(event, "res_outputs_event", None) and not event.res_outputs_event.planning:
            self.done += 1
            now = self.clock()
            if now - self._last >= self.interval_seconds:
                self._last = now
                self.printer(self.stack, f"progress: {self.done} done, {self.started - self.done - self.failed} "
                                         f"in flight, {self.failed} failed")
        elif getattr(event, "res_op_failed_event", None):
            self.failed += 1
        elif getattr(event, "summary_event", None):
            summary = event.summary_event
            changes = ", ".join(f"{op} {count}" for op, count in sorted(summary.resource_changes.items()))
            self.printer(self.stack, f"summary: {changes or 'no changes'} in {summary.duration_seconds}s")


class Cancellation:
    """Ctrl-C: ask running updates to stop cleanly, start nothing new; a second Ctrl-C aborts."""

    def __init__(self, printer: Printer):
        self.printer = printer
        self.requested = threading.Event()
        self._running: dict[str, StackLike] = {}
        self._lock = threading.Lock()

    def track(self, name: str, stack: StackLike | None) -> None:
        with self._lock:
            if stack is None:
                self._running.pop(name, None)
            else:
                self._running[name] = stack

    def interrupt(self) -> None:
        if self.requested.is_set():
            raise KeyboardInterrupt
        self.requested.set()
        self.printer("pipeline", "interrupted: stopping running updates cleanly (in-flight resource operations finish); "
                                 "press Ctrl-C again to abort at once")
        with self._lock:
            running = dict(self._running)
        for name, stack in running.items():
            try:
                stack.cancel()
            except Exception as error:
                self.printer(name, f"cancel: {str(error).strip().splitlines()[-1] if str(error).strip() else error}")

    @contextmanager
    def handling_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        for sig in previous:
            signal.signal(sig, lambda *_: self.interrupt())
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


@dataclass(frozen=True)
class StackOutcome:
    stack: str
    exit_code: int
    message: str = ""


def qualify_overrides(overrides: Sequence[str]) -> dict[str, str]:
    """`--config key=value` arguments as full config keys (`hardened-eks:` unless namespaced)."""
    result = {}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise PipelineError(f"pipeline: --config {item!r} is not valid; expected key=value, "
                                "e.g. --config kubernetesVersion=1.33", exit_code=EXIT_DEPLOY_FAILED)
        key = key.strip()
        result[key if ":" in key else f"hardened-eks:{key}"] = value
    return result


class Driver:
    def __init__(self, env: Mapping[str, str], factory: StackFactory = automation_stack, printer: Printer | None = None,
                 work_dir: Path = PROJECT_DIR, packs: Sequence[str] | None = None, progress_interval: float = 30.0):
        self.env = env
        self.factory = factory
        self.printer = printer or Printer()
        self.work_dir = work_dir
        self.packs = list(policy_packs() if packs is None else packs)
        self.progress_interval = progress_interval
        self.cancellation = Cancellation(self.printer)

    def open(self, name: str, overrides: Mapping[str, str]) -> StackLike:
        from pulumi.automation import ConfigValue

        stack = self.factory(name, self.work_dir, self.env)
        if overrides:
            stack.set_all_config({key: ConfigValue(value) for key, value in overrides.items()})
        return stack

    def run(self, operation: str, stacks: Sequence[str], overrides: Mapping[str, str], parallel: int = 1) -> list[StackOutcome]:
        with self.cancellation.handling_signals(), ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            futures = [pool.submit(self._run_one, operation, name, overrides) for name in stacks]
            outcomes = []
            for future in futures:
                while True:  # wake up regularly so Ctrl-C is handled while stacks run
                    try:
                        outcomes.append(future.result(timeout=0.5))
                        break
                    except TimeoutError:
                        continue
            return outcomes

    def _run_one(self, operation: str, name: str, overrides: Mapping[str, str]) -> StackOutcome:
        from pulumi.automation.errors import CommandError

        if self.cancellation.requested.is_set():
            return StackOutcome(name, EXIT_INTERRUPTED, "not started: interrupted")
        progress = Progress(name, self.printer, self.progress_interval)
        self.printer(name, f"{operation}: starting" + (f" with policy packs {', '.join(self.packs)}"
                                                        if self.packs and operation != "destroy" else ""))
        try:
            stack = self.open(name, overrides)
            self.cancellation.track(name, stack)
            kwargs: dict[str, Any] = {"on_output": lambda line: self.printer(name, line),
                                      "on_event": progress.on_event, "color": "never"}
            if operation in ("up", "preview") and self.packs:
                kwargs["policy_packs"] = self.packs
            getattr(stack, operation)(**kwargs)
        except CommandError as error:
            if self.cancellation.requested.is_set():
                self.printer(name, f"{operation}: stopped after interrupt")
                return StackOutcome(name, EXIT_INTERRUPTED, "interrupted")
            self.printer(name, f"{operation} failed:\n{_tail(str(error))}")
            return StackOutcome(name, EXIT_DEPLOY_FAILED, f"{operation} failed")
        finally:
            self.cancellation.track(name, None)
        self.printer(name, f"{operation}: done")
        return StackOutcome(name, EXIT_OK)


def _tail(text: str, lines: int = 25) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def plain_outputs(outputs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Automation API outputs (OutputValue) as (public values, all values)."""
    public, everything = {}, {}
    for key, output in outputs.items():
        value = getattr(output, "value", output)
        everything[key] = value
        if not getattr(output, "secret", False):
            public[key] = value
    return public, everything


def environment() -> dict[str, str]:
    return dict(os.environ)
