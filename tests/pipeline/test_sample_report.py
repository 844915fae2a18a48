"""docs/sample-report/ is what the real report code makes of the committed fixture trees, and stays so."""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

from tests.conftest import ROOT
from tests.pipeline.fixtures import generate

REGENERATE = "regenerate with `PYTHONPATH=. .venv/bin/python tests/pipeline/fixtures/generate.py` and commit the result"


def test_the_sample_report_is_current():
    for name, text in generate.sample_report().items():
        committed = (generate.SAMPLE_DIR / name).read_text()
        assert committed == text, f"docs/sample-report/{name} is stale; {REGENERATE}"


def test_the_fixture_trees_are_what_generate_writes(tmp_path):
    generate.main(fixtures=tmp_path / "fixtures", sample=tmp_path / "sample")
    for run in ("previous", "current"):
        made = sorted(p.relative_to(tmp_path / "fixtures" / run) for p in (tmp_path / "fixtures" / run).rglob("*.json"))
        committed = sorted(p.relative_to(generate.HERE / run) for p in (generate.HERE / run).rglob("*.json"))
        assert made == committed, REGENERATE
        _, mismatch, errors = filecmp.cmpfiles(tmp_path / "fixtures" / run, generate.HERE / run,
                                               [str(p) for p in made], shallow=False)
        assert mismatch == errors == [], f"{mismatch or errors} differ; {REGENERATE}"
    for name in ("report.md", "report.html"):
        assert (tmp_path / "sample" / name).read_text() == (generate.SAMPLE_DIR / name).read_text()


def test_the_sample_report_names_what_failed_the_gate():
    md = (generate.SAMPLE_DIR / "report.md").read_text()
    assert "| CVE-2025-0395 | glibc, glibc-common | eks-optimized-al2023/level-2 | MEDIUM | 2025-06-18 |" in md
    assert ("| eks-optimized-al2023/level-1 | 1.1.2.1 | Ensure /tmp is a separate partition | FAILED | excluded |"
            in md)
    assert re.search(r"\| al2023 \| 5\.1\.1\.6 \| .* \| automatic: no site log host", md)
    # No absolute path of the machine that generated it.
    assert str(ROOT) not in md and "/tmp/" not in md


def test_the_readme_links_the_sample_report():
    readme = (ROOT / "README.md").read_text()
    for name in ("report.md", "report.html"):
        assert f"(docs/sample-report/{name})" in readme
        assert Path(ROOT / "docs" / "sample-report" / name).is_file()
