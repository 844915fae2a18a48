"""`make up|preview|destroy STACK=<name>`: check what a real deployment needs, then run Pulumi.

Each missing prerequisite is one clear line; nothing runs until all are present.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOCAL_STATE_DIR = PROJECT_DIR / ".pulumi-state"
POLICY_PACK_DIR = PROJECT_DIR / "policy"

TOOLS = {
    "pulumi": ("up", "preview", "destroy"),
    "packer": ("up", "preview"),
    "session-manager-plugin": ("up",),
}
INSTALL_HINTS = {
    "pulumi": "install the Pulumi CLI: https://www.pulumi.com/docs/install/",
    "packer": "install Packer 1.10 or newer: https://developer.hashicorp.com/packer/install",
    "session-manager-plugin": "install the AWS Session Manager plugin (Packer reaches private builders through it): "
                              "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
                              "session-manager-working-with-install-plugin.html",
}


def backend_url(env: dict[str, str]) -> str:
    return env.get("PULUMI_BACKEND_URL") or f"file://{LOCAL_STATE_DIR}"


def missing_prerequisites(action: str, env: dict[str, str], which=shutil.which, credentials=None) -> list[str]:
    problems = [f"{tool} not found: {INSTALL_HINTS[tool]}"
                for tool, actions in TOOLS.items() if action in actions and which(tool) is None]
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


def pulumi_commands(action: str, stack: str) -> list[list[str]]:
    run = ["pulumi", action, "--stack", stack, "--yes" if action != "preview" else "--diff"]
    if action in ("up", "preview") and POLICY_PACK_DIR.is_dir():
        run += ["--policy-pack", str(POLICY_PACK_DIR)]
    return [["pulumi", "stack", "select", "--create", stack], run]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardened_eks.preflight", description=__doc__)
    parser.add_argument("action", choices=("up", "preview", "destroy"))
    parser.add_argument("--stack", required=True)
    args = parser.parse_args(argv)

    env = dict(os.environ)
    problems = missing_prerequisites(args.action, env)
    if problems:
        for problem in problems:
            print(f"{args.action}: {problem}", file=sys.stderr)
        return 2
    env["PULUMI_BACKEND_URL"] = backend_url(env)
    LOCAL_STATE_DIR.mkdir(exist_ok=True)
    for command in pulumi_commands(args.action, args.stack):
        result = subprocess.run(command, cwd=PROJECT_DIR, env=env, check=False)
        if result.returncode != 0:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
