"""`make up|preview|destroy STACK=<name>`: check what a real deployment needs, then run Pulumi.

Each missing prerequisite is one clear line; nothing runs until all are present.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOCAL_STATE_DIR = PROJECT_DIR / ".pulumi-state"
POLICY_PACK_DIR = PROJECT_DIR / "policy"

MINIMUM_PACKER = (1, 10, 0)  # HCL2 `packer { required_plugins }` and `packer init`
_PACKER_VERSION = re.compile(r"\bv?(\d+)\.(\d+)\.(\d+)")

# Every CLI a run may need, in the order they are reported; `required_tools` says which a stack needs.
TOOLS = ("pulumi", "aws", "kubectl", "packer", "session-manager-plugin")
INSTALL_HINTS = {
    "pulumi": "install the Pulumi CLI: https://www.pulumi.com/docs/install/",
    "aws": "install the AWS CLI v2 (the cluster's kubeconfig runs `aws eks get-token` for every Kubernetes call): "
           "https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
    "kubectl": "install kubectl (the result collector reads the proof's Jobs and pods with it): "
               "https://kubernetes.io/docs/tasks/tools/",
    "packer": "install Packer 1.10 or newer: https://developer.hashicorp.com/packer/install",
    "session-manager-plugin": "install the AWS Session Manager plugin (Packer reaches private builders through it): "
                              "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
                              "session-manager-working-with-install-plugin.html",
}


def required_tools(action: str, config: Any | None) -> list[str]:
    """The CLIs `action` on a stack with this config runs; config None: assume everything.

    pulumi always; for a stack with a cluster, aws (the kubeconfig's exec plugin, also on preview and
    destroy), and kubectl on `up` (the collector) and `destroy` (the wait for the proof's volumes);
    Packer and the Session Manager plugin only on an `up` that builds AMIs.
    """
    tools = ["pulumi"]
    cluster = config is None or not config.ami_only
    builds = config is None or bool(config.amis_to_build())
    if cluster:
        tools.append("aws")
    if action in ("up", "destroy") and cluster:
        tools.append("kubectl")
    if action == "up" and builds:
        tools += ["packer", "session-manager-plugin"]
    return tools


def packer_version(packer: str) -> str:
    """What `packer version` prints (stdout, else stderr); raises OSError when it cannot run."""
    try:
        done = subprocess.run([packer, "version"], capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired as error:
        raise OSError(f"`{packer} version` did not answer within 60 s") from error
    return done.stdout.strip() or done.stderr.strip()


def packer_problem(packer: str, version_of: Callable[[str], str] = packer_version) -> str | None:
    """None when the Packer at `packer` is new enough; otherwise one line naming what was found."""
    try:
        printed = version_of(packer)
    except OSError as error:
        return f"packer at {packer} cannot run `packer version`: {error}; {INSTALL_HINTS['packer']}"
    found = _PACKER_VERSION.search(printed)
    if not found:
        return f"packer at {packer}: `packer version` printed no version ({printed[:80]!r}); {INSTALL_HINTS['packer']}"
    version = tuple(int(part) for part in found.groups())
    if version < MINIMUM_PACKER:
        return (f"packer at {packer} is {'.'.join(map(str, version))}; hardened-eks needs "
                f"{'.'.join(map(str, MINIMUM_PACKER))} or newer (HCL2 required_plugins, `packer init`; "
                "Debian and Ubuntu ship 1.6.6): https://developer.hashicorp.com/packer/install")
    return None


def tool_problems(tools: Sequence[str], which: Callable[[str], str | None] = shutil.which,
                  version_of: Callable[[str], str] = packer_version) -> list[str]:
    """One line per missing or unusable CLI of `tools`."""
    problems = []
    for tool in TOOLS:
        if tool not in tools:
            continue
        path = which(tool)
        if path is None:
            problems.append(f"{tool} not found: {INSTALL_HINTS[tool]}")
        elif tool == "packer":
            problem = packer_problem(path, version_of)
            if problem:
                problems.append(problem)
    return problems


def backend_url(env: dict[str, str]) -> str:
    return env.get("PULUMI_BACKEND_URL") or f"file://{LOCAL_STATE_DIR}"


def missing_prerequisites(action: str, env: dict[str, str], which=shutil.which, credentials=None,
                          config: Any | None = None, version_of: Callable[[str], str] = packer_version) -> list[str]:
    problems = tool_problems(required_tools(action, config), which, version_of)
    if credentials is None:
        import boto3

        credentials = boto3.Session().get_credentials()
    if credentials is None:
        problems.append("no AWS credentials: configure a profile (aws configure sso) or set AWS_PROFILE / "
                        "AWS_ACCESS_KEY_ID, or assume a role through OIDC in CI")
    uses_passphrase = backend_url(env).startswith("file://")
    if uses_passphrase and not (env.get("PULUMI_CONFIG_PASSPHRASE") or env.get("PULUMI_CONFIG_PASSPHRASE_FILE")):
        problems.append("PULUMI_CONFIG_PASSPHRASE is not set: the local state backend encrypts secrets "
                        "(the kubeconfig) with it; export it, or set PULUMI_BACKEND_URL to a remote backend")
    return problems


def stack_config(stack: str, project_dir: Path = PROJECT_DIR) -> Any | None:
    """The validated config of Pulumi.<stack>.yaml, or None when the file does not exist yet."""
    from hardened_eks.config import ConfigError, load_config
    from hardened_eks.stack_file import StackFileError, read_stack_config

    path = project_dir / f"Pulumi.{stack}.yaml"
    if not os.path.lexists(path):
        return None
    try:
        return load_config(read_stack_config(path), stack)
    except (StackFileError, ConfigError) as error:
        raise ValueError(f"stack {stack}: {error}") from None


def pulumi_commands(action: str, stack: str, confirm: bool = False) -> list[list[str]]:
    """`confirm`: leave out --yes, so Pulumi shows the preview and asks before it changes anything."""
    run = ["pulumi", action, "--stack", stack, "--diff" if action == "preview" or confirm else "--yes"]
    if action in ("up", "preview") and POLICY_PACK_DIR.is_dir():
        run += ["--policy-pack", str(POLICY_PACK_DIR)]
    return [["pulumi", "stack", "select", "--create", stack], run]


def confirmation(action: str, yes: bool, env: dict[str, str], interactive: bool) -> bool | str:
    """Whether Pulumi should ask before `action` changes anything (True), run without asking (False), or why
    it cannot do either (text). A terminal asks unless --yes (YES=1) or CI is set; anything else needs --yes."""
    if action == "preview" or yes or env.get("CI", "").strip().lower() not in ("", "0", "false"):
        return False
    if interactive:
        return True
    return (f"stdin is not a terminal, so nobody can confirm the preview: run `make {action} YES=1` (or "
            "set CI=true) to proceed without asking")


def main(argv: list[str] | None = None, interactive: bool | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardened_eks.preflight", description=__doc__)
    parser.add_argument("action", choices=("up", "preview", "destroy"))
    parser.add_argument("--stack", required=True)
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation (also: CI set)")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    confirm = confirmation(args.action, args.yes, env, sys.stdin.isatty() if interactive is None else interactive)
    if isinstance(confirm, str):
        print(f"{args.action}: {confirm}", file=sys.stderr)
        return 2
    try:
        config = stack_config(args.stack)
    except ValueError as error:
        print(f"{args.action}: {error}", file=sys.stderr)
        return 2
    problems = missing_prerequisites(args.action, env, config=config)
    if problems:
        for problem in problems:
            print(f"{args.action}: {problem}", file=sys.stderr)
        return 2
    env["PULUMI_BACKEND_URL"] = backend_url(env)
    LOCAL_STATE_DIR.mkdir(exist_ok=True)
    for command in pulumi_commands(args.action, args.stack, confirm):
        result = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
        if result.returncode != 0:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
