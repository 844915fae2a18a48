"""Hostile stack files end in one clear message, never a traceback or a hang, through every command that reads one:
`make plan` (hardened_eks.plan), the pipeline (`python -m pipeline`) and the `make up` preflight."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hardened_eks import plan, preflight
from hardened_eks.stack_file import MAX_EXPANDED_NODES
from pipeline.cli import Runtime, main
from tests.conftest import ROOT

GOOD = ("config:\n  aws:region: us-west-2\n  hardened-eks:kubernetesVersion: '1.33'\n"
        "  hardened-eks:patterns: [{pattern: bottlerocket, levels: [1]}]\n"
        "  hardened-eks:publicAccessCidrs: [203.0.113.10/32]\n")


def bomb(depth: int = 9) -> str:
    """The YAML "billion laughs": each level holds nine aliases of the one before (9**9 leaves)."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, depth)]
    return "\n".join(lines) + f"\nconfig:\n  hardened-eks:tags: *a{depth - 1}\n"


HOSTILE: dict[str, tuple[bytes, str]] = {
    "top-list": (b"- config\n- aws:region\n", "Pulumi.top-list.yaml: the file must be a mapping with a `config:` key, "
                                               "not a list"),
    "top-scalar": (b"just text\n", "the file must be a mapping with a `config:` key, not a text value"),
    "config-list": (b"config:\n  - aws:region: us-west-2\n", "Pulumi.config-list.yaml: `config:` must be a mapping "
                                                             "of `namespace:key: value`, not a list"),
    "config-scalar": (b"config: 3\n", "`config:` must be a mapping of `namespace:key: value`, not a number"),
    "latin-1": ("config:\n  hardened-eks:tags: {team: Équipe}\n".encode("latin-1"),
                "Pulumi.latin-1.yaml is not UTF-8 text (byte 36: b'\\xc9')"),
    "duplicate": (GOOD.encode() + b"  aws:region: eu-west-1\n",
                  "Pulumi.duplicate.yaml is not valid YAML: line 6, column 3: key 'aws:region' appears twice (first "
                  "at line 2); the Pulumi CLI refuses duplicate keys"),
    "bomb": (bomb().encode(), f"Pulumi.bomb.yaml: YAML aliases expand to more than {MAX_EXPANDED_NODES} values"),
    "recursive": (b"config:\n  hardened-eks:tags: &x {a: *x}\n", "a YAML alias refers to the collection that contains"),
    "broken": (b"config:\n  aws:region: [us-west-2\n", "Pulumi.broken.yaml is not valid YAML: line 3, column 1:"),
    "int-key": (b"config:\n  7: seven\n", "config key 7 must be text"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name, (content, _) in HOSTILE.items():
        (tmp_path / f"Pulumi.{name}.yaml").write_bytes(content)
    (tmp_path / "Pulumi.yaml").write_text("name: hardened-eks\nruntime: python\n")
    return tmp_path


@pytest.mark.parametrize("name", list(HOSTILE))
def test_make_plan_names_the_file_and_the_problem(project, name):
    with pytest.raises(SystemExit) as stop:
        plan.stack_config(name, project)
    assert str(stop.value.code) == f"plan: {HOSTILE[name][1]}" or HOSTILE[name][1] in str(stop.value.code)
    assert "\n" not in str(stop.value.code)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_pipeline_names_the_file_and_the_problem(project, name, capsys):
    assert main(["preview", "--stack", name], Runtime(env={}, project_dir=project)) == 1
    err = capsys.readouterr().err
    assert f"pipeline: --stack {name}: " in err and HOSTILE[name][1] in err and "Traceback" not in err


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_make_up_preflight_names_the_file_and_the_problem(project, name):
    with pytest.raises(ValueError, match=r"^stack ") as caught:
        preflight.stack_config(name, project)
    assert HOSTILE[name][1] in str(caught.value)


def test_a_fifo_as_stack_file_does_not_hang(project):
    os.mkfifo(project / "Pulumi.fifo.yaml")
    with pytest.raises(SystemExit, match="is a FIFO, not a regular file"):
        plan.stack_config("fifo", project)


def test_the_alias_bomb_is_refused_quickly_in_a_real_process(project):
    """Through the real `make plan` code path in its own process: bounded, one line, no traceback."""
    code = ("import sys; from pathlib import Path; from hardened_eks import plan; "
            f"plan.stack_config('bomb', Path({str(project)!r}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30,
                            check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("plan: Pulumi.bomb.yaml: YAML aliases expand to more than")


def test_aliases_that_stay_small_are_read(tmp_path):
    from hardened_eks.stack_file import read_stack_config

    path = tmp_path / "Pulumi.ok.yaml"
    path.write_text("cidrs: &mine [203.0.113.10/32]\n" + GOOD.replace("[203.0.113.10/32]", "*mine")
                    + "  hardened-eks:privateAccessCidrs: *mine\n  hardened-eks:remoteLogHost: null\n")
    raw = read_stack_config(path)
    assert raw["hardened-eks:publicAccessCidrs"] == raw["hardened-eks:privateAccessCidrs"] == '["203.0.113.10/32"]'
    assert "hardened-eks:remoteLogHost" not in raw


def test_the_sample_stacks_read_the_same_through_every_command():
    from hardened_eks.stack_file import read_stack_config

    for stack in ("dev", "legacy"):
        raw = plan.stack_config(stack)
        assert raw == read_stack_config(ROOT / f"Pulumi.{stack}.yaml")
        assert preflight.stack_config(stack).stack == stack
