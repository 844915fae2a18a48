"""`python -m pipeline up|preview|destroy|report --stack dev [--stack prod ...]`

Exit codes: 0 success; 1 a deployment failed or the pipeline cannot run (missing Pulumi CLI, local
state backend in CI, invalid config); 2 the compliance gate failed, or `report` cannot read or write
what it needs (an unreadable --outputs or --previous, an unwritable --reports folder), so the gate cannot
pass; 64 bad command line; 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from hardened_eks.config import ConfigError, StackConfig, load_config
from hardened_eks.jsonfile import JsonFileError, read_json
from hardened_eks.preflight import packer_version, required_tools, tool_problems
from hardened_eks.results import DEFAULT_ROOT
from hardened_eks.schemas import ResultInvalid, validate
from hardened_eks.stack_file import StackFileError, read_stack_config, stack_path
from pipeline.collectors import DEFAULT_COLLECTORS, CollectContext, Collector, CollectorSpec, collect_all, resolve
from pipeline.driver import (
    EXIT_GATE_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    PROJECT_DIR,
    Driver,
    PipelineError,
    Printer,
    StackFactory,
    automation_stack,
    plain_outputs,
    qualify_overrides,
    require_pulumi_cli,
    resolve_backend,
)
from pipeline.gate import ComplianceGate, GateConfigError, parse_gate
from pipeline.render import render_html, render_markdown
from pipeline.report import ReportInputs, build_report
from pipeline.store import LocalStore, PreviousUnreadable, ReportStore, remote_store

EXIT_USAGE = 64
DEFAULT_REPORTS = Path("reports")
KUBECONFIG_OUTPUT = "kubeconfig"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's default 2 would read as "gate failed"
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    root = _Parser(prog="python -m pipeline", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = root.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, text in (("up", "deploy the stacks (with the policy pack)"), ("preview", "show what up would change"),
                       ("destroy", "delete everything the stacks created"),
                       ("report", "collect results and write the comparison report; exit 2 if the gate fails")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--stack", action="append", required=True, dest="stacks", metavar="NAME",
                         help="stack to run (repeatable); reads Pulumi.<NAME>.yaml")
        sub.add_argument("--config", action="append", default=[], metavar="KEY=VALUE",
                         help="config override set on the stack before running (repeatable)")
        sub.add_argument("--allow-local-backend", action="store_true",
                         help="allow a file:// state backend even when CI is set")
        sub.add_argument("--results", type=Path, default=DEFAULT_ROOT, help="results root (default: results)")
        sub.add_argument("--reports", type=Path, default=DEFAULT_REPORTS, help="reports root (default: reports)")
        if name != "report":
            sub.add_argument("--parallel-stacks", type=int, default=1, metavar="N",
                             help="run up to N stacks at once (default 1)")
        if name == "up":
            sub.add_argument("--report", action="store_true", help="after a successful up, run `report --collect`")
        if name == "report":
            sub.add_argument("--collect", action="store_true",
                             help="read the stack outputs with Pulumi and run the result collectors first")
            sub.add_argument("--outputs", type=Path, help="stack outputs JSON (`pulumi stack output --json`); "
                                                          "default: <reports>/<stack>/stack-outputs.json if present")
            sub.add_argument("--previous", type=Path, help="previous report.json to diff against "
                                                           "(default: the last published report)")
            sub.add_argument("--as-of", type=date.fromisoformat, help="judge vulnerability due dates on this day "
                                                                        "(YYYY-MM-DD, default: today, UTC)")
    return root


@dataclass
class Runtime:
    """Everything the commands touch outside this process; tests replace parts of it."""

    env: Mapping[str, str]
    factory: StackFactory = automation_stack
    which: Callable[[str], str | None] | None = None
    packer_version: Callable[[str], str] = packer_version  # what `packer version` prints (preflight)
    printer: Printer | None = None
    project_dir: Path = PROJECT_DIR
    collectors: Sequence[CollectorSpec] = DEFAULT_COLLECTORS
    resolver: Callable[[CollectorSpec], Collector] = resolve
    remote_store: Callable[[str | None], ReportStore | None] = remote_store
    now: Callable[[], datetime] = lambda: datetime.now(UTC).replace(microsecond=0)


def main(argv: Sequence[str] | None = None, runtime: Runtime | None = None) -> int:
    runtime = runtime or Runtime(env=dict(os.environ))
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # usage errors and --help: return the code instead of leaving the caller
        return int(stop.code or 0)
    printer = runtime.printer or Printer()
    try:
        overrides = qualify_overrides(args.config)
        configs = {name: load_stack(name, overrides, runtime.project_dir) for name in args.stacks}
        if args.command == "report":
            return run_report(args, configs, overrides, runtime, printer)
        return run_operation(args, configs, overrides, runtime, printer)
    except PipelineError as error:
        print(error, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("pipeline: aborted", file=sys.stderr)
        return EXIT_INTERRUPTED


def load_stack(name: str, overrides: Mapping[str, str], project_dir: Path) -> tuple[StackConfig, ComplianceGate]:
    """Validate a stack's config (and its compliance gate) before anything runs."""
    try:
        raw = {**read_stack_config(stack_path(name, project_dir)), **overrides}
    except StackFileError as error:
        raise PipelineError(f"pipeline: --stack {name}: {error}") from None
    try:
        config = load_config(raw, name)
        gate = parse_gate(config.extra.get("complianceGate"))
    except (ConfigError, GateConfigError) as error:
        raise PipelineError(f"pipeline: stack {name}: {error}") from None
    return config, gate


def run_operation(args: argparse.Namespace, configs: Mapping[str, Any], overrides: Mapping[str, str],
                  runtime: Runtime, printer: Printer) -> int:
    require_pulumi_cli(*([runtime.which] if runtime.which else []))
    # Every other CLI the stacks' configs need (aws, kubectl, Packer >= 1.10, the Session Manager plugin),
    # named before anything is created, instead of failing mid-`up` after the cluster took 30 minutes.
    problems: list[str] = []
    for config, _ in configs.values():
        for problem in tool_problems(required_tools(args.command, config), runtime.which or shutil.which,
                                     runtime.packer_version):
            if problem not in problems:
                problems.append(problem)
    if problems:
        raise PipelineError("\n".join(f"pipeline: {problem}" for problem in problems))
    env = resolve_backend(runtime.env, args.allow_local_backend)
    driver = Driver(env, runtime.factory, printer, work_dir=runtime.project_dir)
    outcomes = driver.run(args.command, args.stacks, overrides, parallel=args.parallel_stacks)
    worst = max(outcome.exit_code for outcome in outcomes)
    for outcome in outcomes:
        printer("pipeline", f"{outcome.stack}: {args.command} " + ("succeeded" if outcome.exit_code == EXIT_OK
                                                                    else outcome.message))
    if worst != EXIT_OK or args.command != "up" or not args.report:
        return worst
    args.collect, args.outputs, args.previous, args.as_of = True, None, None, None
    return run_report(args, configs, overrides, runtime, printer, driver=driver)


def run_report(args: argparse.Namespace, configs: Mapping[str, tuple[StackConfig, ComplianceGate]],
               overrides: Mapping[str, str], runtime: Runtime, printer: Printer, driver: Driver | None = None) -> int:
    env = dict(runtime.env)
    if args.collect:
        require_pulumi_cli(*([runtime.which] if runtime.which else []))
        env = resolve_backend(runtime.env, args.allow_local_backend)
        driver = driver or Driver(env, runtime.factory, printer, work_dir=runtime.project_dir)
    remote = runtime.remote_store(env.get("PULUMI_BACKEND_URL"))
    local = LocalStore(args.reports)
    worst = EXIT_OK
    for name, (config, gate) in configs.items():
        if args.collect:
            assert driver is not None
            outputs = collect(driver, name, config, overrides, args, runtime, printer)
        else:
            outputs = read_outputs(args.outputs or (args.reports / name / "stack-outputs.json"), required=bool(args.outputs))
        previous, previous_problem = load_previous(args.previous, remote or local, name, printer)
        now = runtime.now()
        report = build_report(ReportInputs(config=config, results_root=args.results, gate=gate, generated_at=now,
                                           as_of=args.as_of or now.date(), outputs=outputs, previous=previous,
                                           previous_problem=previous_problem))
        files = {"report.json": (json.dumps(report, indent=2, sort_keys=True) + "\n").encode(),
                 "report.md": render_markdown(report).encode(), "report.html": render_html(report).encode()}
        if outputs:
            files["stack-outputs.json"] = (json.dumps(outputs, indent=2, sort_keys=True) + "\n").encode()
        try:
            local.publish(name, files, report["generatedAt"])
        except OSError as error:
            raise PipelineError(f"pipeline: --reports {args.reports}: cannot write the report "
                                f"({error.filename or args.reports / name}: {error.strerror or error})",
                                EXIT_GATE_FAILED) from None
        printer(name, f"report: {args.reports / name / 'report.html'}")
        if remote:
            remote.publish(name, files, report["generatedAt"])
            printer(name, f"report: published to {remote.location}{name}/")
        for row in report["rows"]:
            problems = row["gateFailures"]
            shown = "; ".join(problems[:2]) + (f" (+{len(problems) - 2} more)" if len(problems) > 2 else "")
            printer(name, f"  {row['status']:<7} {row['key']}" + (f": {shown}" if problems else ""))
        if not report["gate"]["passed"]:
            printer(name, f"compliance gate FAILED: {len(report['gate']['failures'])} problem(s)")
            worst = max(worst, EXIT_GATE_FAILED)
        else:
            printer(name, "compliance gate passed")
    return worst


def read_outputs(path: Path, required: bool) -> dict[str, Any]:
    outputs = _json_input("--outputs", path, required)
    if outputs is None:
        return {}
    if not isinstance(outputs, dict):
        raise PipelineError(f"pipeline: --outputs {path}: expected a JSON object of stack outputs", EXIT_GATE_FAILED)
    return outputs


def load_previous(path: Path | None, store: ReportStore, stack: str,
                  printer: Printer) -> tuple[dict[str, Any] | None, str | None]:
    """(the previous report, or None) and why a previous report that exists was not used."""
    if path is not None:
        source, document = str(path), _json_input("--previous", path, required=True)
    else:
        source = store.location
        try:
            document = store.previous(stack)
        except PreviousUnreadable as error:
            # A corrupted stored report must not block every later report: go on without a diff, and say so.
            problem = f"the previous report cannot be read: {error}"
            printer(stack, f"report: ignoring the previous report: {problem}; this report has no diff")
            return None, problem
    if document is None:
        return None, None
    try:
        return validate("report", document, source), None
    except ResultInvalid as error:
        # A previous report of another schema version must not block today's gate; say so and diff against nothing.
        problem = str(error).splitlines()[0]
        printer(stack, f"report: ignoring the previous report: {problem}; this report has no diff")
        return None, problem


def _json_input(option: str, path: Path, required: bool) -> Any:
    """A JSON file the user named (or its default): one line and exit 2 when it cannot be read."""
    try:
        return read_json(path)
    except FileNotFoundError:
        if required:
            raise PipelineError(f"pipeline: {option} {path}: no such file", EXIT_GATE_FAILED) from None
        return None
    except JsonFileError as error:
        raise PipelineError(f"pipeline: {option} {error}", EXIT_GATE_FAILED) from None


def collect(driver: Driver, name: str, config: StackConfig, overrides: Mapping[str, str], args: argparse.Namespace,
            runtime: Runtime, printer: Printer) -> dict[str, Any]:
    """Read the stack outputs through Pulumi and let every collector write its results."""
    stack = driver.open(name, overrides)
    public, everything = plain_outputs(stack.outputs())
    kubeconfig = everything.get(KUBECONFIG_OUTPUT)
    with tempfile.TemporaryDirectory(prefix="hardened-eks-") as scratch:
        kubeconfig_path = None
        if kubeconfig is not None:
            kubeconfig_path = Path(scratch) / "kubeconfig"
            kubeconfig_path.touch(mode=stat.S_IRUSR | stat.S_IWUSR)
            kubeconfig_path.write_text(kubeconfig if isinstance(kubeconfig, str) else json.dumps(kubeconfig))
        context = CollectContext(stack=name, config=config, outputs=everything, kubeconfig_path=kubeconfig_path,
                                 results_root=args.results, log=lambda line: printer(name, line))
        outcome = collect_all(context, runtime.collectors, runtime.resolver)
    if outcome.missing or outcome.failed:
        printer(name, "collect: results of " + ", ".join((*outcome.missing, *outcome.failed))
                + " may be missing; affected node groups will be `unknown`")
    public.pop(KUBECONFIG_OUTPUT, None)
    return public


if __name__ == "__main__":
    sys.exit(main())
