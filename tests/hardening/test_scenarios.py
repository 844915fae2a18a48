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
        # A remediation that cannot proceed is that control's error: named, and the run still reaches the summary
        # (exit 3, or 2 for a missing --set value).
        proc = run(script, "apply", "--root", str(root), "--only", cid, check_rc=(2, 3))
        assert cid in proc.stderr, proc.stderr
        assert f"{cid} | PATCH |" in proc.stdout and "| error |" in proc.stdout, proc.stdout
        assert proc.stdout.splitlines()[-1].startswith("summary |"), proc.stdout
        return
    if scenario.after_apply == "fail":
        # Nothing under the root can fix it: reported as failing with the reason, not an error, and the run goes on.
        proc = run(script, "apply", "--root", str(root), "--only", cid, check_rc=(1,))
        assert f"| fail | remediation did not take effect: {before['detail']}" in proc.stdout, proc.stdout
        assert proc.stdout.splitlines()[-1].startswith("summary |"), proc.stdout
        settled = tree_digest(root)
        run(script, "apply", "--root", str(root), "--only", cid, check_rc=(1,))
        assert tree_digest(root) == settled, "second apply changed the root"
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
