"""hardening/README.md's table of where ComplianceAsCode's verdict differs from ours is generated from
hardening/cac_differences.yaml, stays current, and tells the truth about our side: the real rendered level-2
script, applied to the AL2023 fixture root, audits every listed control as the row says."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from hardening import docs
from tests.conftest import ROOT
from tests.hardening.harness import audit, make_root, run, script_path

BLOCK = re.compile(r"(<!-- BEGIN GENERATED: cac-differences -->\n).*?(\n<!-- END GENERATED: cac-differences -->)", re.S)


def test_the_readme_table_is_current_and_regenerated_from_the_data():
    readme = docs.README.read_text()
    stale = BLOCK.sub(r"\1| stale |\2", readme)
    assert stale != readme
    assert docs.render(stale) == readme
    proc = subprocess.run([sys.executable, "-m", "hardening.docs", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_the_check_fails_on_a_stale_readme(tmp_path, monkeypatch):
    data = yaml.safe_load(docs.CAC_DIFFERENCES.read_text())
    data["rows"][0]["why"] = "a reason changed in the data"
    changed = tmp_path / "cac_differences.yaml"
    changed.write_text(yaml.safe_dump(data))
    monkeypatch.setattr(docs, "CAC_DIFFERENCES", changed)
    readme = tmp_path / "README.md"
    readme.write_text(docs.README.read_text())
    monkeypatch.setattr(docs, "README", readme)
    assert docs.main(["--check"]) == 1
    assert docs.main([]) == 0 and "a reason changed in the data" in readme.read_text()
    assert docs.main(["--check"]) == 0


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r.update(ids=["9.9.9"]), "9.9.9 not in catalog/al2023.yaml"),
    (lambda r: r.update(kind="cac-bug"), "kind 'cac-bug'; allowed:"),
    (lambda r: r.update(cac="pass"), "ours and cac agree (pass)"),
    (lambda r: r.update(ours="excepted"), "names its exception"),
    (lambda r: r.update(kind="exception", ours="excepted", exception="eks-ip-forwarding"),
     "exceptions.yaml has no 'eks-ip-forwarding' for al2023 1.3.2"),
    (lambda r: r.pop("why"), "'why' is missing"),
])
def test_bad_rows_are_named(tmp_path, change, message):
    data = yaml.safe_load(docs.CAC_DIFFERENCES.read_text())
    change(data["rows"][0])
    path = tmp_path / "cac_differences.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(docs.DocsError, match=re.escape(message)) as err:
        docs.load_differences(path)
    assert "row 1" in str(err.value)


def test_our_side_of_every_row_is_what_the_real_audit_says_after_a_level2_apply(tmp_path):
    benchmark, rows = docs.load_differences()
    root = make_root(tmp_path, "al2023-eks-node")
    script = script_path(benchmark, 2)
    run(script, "apply", "--root", str(root), check_rc=(0, 1))
    controls = audit(script, root)
    wrong = {(cid, row.ours, controls[cid]["status"]) for row in rows for cid in row.ids
             if controls[cid]["status"] != row.ours}
    assert not wrong, f"rows whose `ours` is not what the audit says (id, row, audit): {sorted(wrong)}"
