"""Per-control scenarios on fixture roots, through the real rendered script.

Every scenario shapes a copy of an AL2023 EKS node root, then: the audit reports what the scenario expects;
for a failing scenario, apply fixes it (or defers a step that needs a running system), the audit then
passes, and a second apply changes no byte.
"""

from __future__ import annotations

import pytest

from tests.hardening.harness import (
    BENCHMARK_FIXTURE,
    apply,
    audit,
    make_root,
    run,
    scenarios,
    script_path,
    shape,
    tree_digest,
)

ALL = scenarios()


@pytest.mark.parametrize("scenario", ALL, ids=[s.id for s in ALL])
def test_scenario(scenario, tmp_path):
    script = script_path(scenario.benchmark, scenario.level, scenario.ip_family)
    root = make_root(tmp_path, BENCHMARK_FIXTURE[scenario.benchmark])
    shape(root, scenario.path)
    cid = scenario.control

    before = audit(script, root, cid)[cid]
    assert before["status"] == scenario.expect, before
    if scenario.expect != "fail":
        first = apply(script, root, cid)
        assert first[cid][0] == scenario.expect, first  # nothing to do: reported, not changed
        return

    if scenario.after_apply == "error":
        proc = run(script, "apply", "--root", str(root), "--only", cid, check_rc=(1, 2))
        assert cid in proc.stderr, proc.stderr
        return

    digest = tree_digest(root)
    first = apply(script, root, cid)
    if scenario.after_apply == "deferred":
        assert first[cid][0] == "deferred", first
    else:
        assert first[cid][0] == "fixed", first
        after = audit(script, root, cid)[cid]
        assert after["status"] == "pass", after
    assert tree_digest(root) != digest or scenario.after_apply == "deferred", "apply reported a fix but changed nothing"

    settled = tree_digest(root)
    apply(script, root, cid)
    assert tree_digest(root) == settled, "second apply changed the root"
