"""Markdown and HTML rendering of a real report: content, colour, escaping, well-formedness."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipeline.render import render_html, render_markdown
from tests.pipeline.conftest import PREVIOUS_AT, edit, result
from tests.pipeline.test_report import recount_audit

VOID = {"meta", "br", "hr", "img", "link", "input"}


class TagBalance(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.classes: dict[str, list[str]] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        for name, value in attrs:
            if name == "class":
                self.classes.setdefault(value, []).append(tag)

    def handle_startendtag(self, tag, attrs):
        assert tag in VOID, f"<{tag}/> is not a void element"

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def report_with_history(trees, make_report):
    def hostile_title(document: dict) -> None:
        document["controls"][0].update(title="Ensure <script>alert(1)</script> & co", status="not-applicable")
        recount_audit(document)
    edit(result(trees["current"], "cis-al2023", 1, "audit"), hostile_title)
    previous = make_report(trees["previous"], at=PREVIOUS_AT)
    return make_report(trees["current"], previous=previous)


def test_html_is_well_formed_coloured_and_escaped(trees, make_report) -> None:
    page = render_html(report_with_history(trees, make_report))
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    parser = TagBalance()
    parser.feed(page.removeprefix("<!DOCTYPE html>\n"))
    parser.close()
    assert parser.stack == []
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    # Headline status cells and per-control cells carry their colour class.
    assert parser.classes["s-pass"].count("td") >= 1 and "td" in parser.classes["s-fail"]
    assert "td" in parser.classes["s-unknown"] and "td" in parser.classes["s-not-applicable"]
    assert ".s-fail{background:#f6b8b8}" in page
    text = "".join(parser.text)
    assert "source AMI: ami-0a1b2c3d4e5f60001 → ami-0a1b2c3d4e5f60002" in text
    assert "control al2023:1.6.1.5 (Ensure the SELinux mode is enforcing): fail → pass" in text


def test_markdown_has_headline_table_gate_diff_and_controls(trees, make_report) -> None:
    markdown = render_markdown(report_with_history(trees, make_report))
    lines = markdown.splitlines()
    header = lines.index("| pattern | level | status | AMI | source AMI | our audit | Bottlerocket report | Inspector CIS "
                         "| CVEs | kube-bench | workload tests |")
    table = lines[header + 2: header + 7]
    assert all(row.count(" | ") == 10 for row in table)
    assert table[4].startswith("| bottlerocket | 2 | ❔ unknown | ami-0b0b0b0b0b0b00002 |")
    assert "**Compliance gate: ❌ failed (4 problem(s))**" in markdown
    assert "- bottlerocket/level-2: unknown: kube-bench result missing" in markdown
    assert "### eks-optimized-al2023/level-2" in markdown and "- newly overdue CVEs: CVE-2025-0395" in markdown
    assert "| 1.6.1.7 | Ensure SETroubleshoot is not installed | pass | pass | not-applicable |" in markdown
    assert "not supported by Inspector (Amazon Inspector CIS scans do not cover Bottlerocket)" in markdown


def test_first_report_says_there_is_nothing_to_compare(trees, make_report) -> None:
    report = make_report(trees["current"])
    assert "No previous report: this is the first." in render_markdown(report)
    assert "No previous report: this is the first." in render_html(report)


HOSTILE_TITLE = "Ensure <img src=x onerror=alert(1)> [click](javascript:alert(1)) ![t](https://t.example/p.gif) *x* `y`"
HOSTILE_DETAIL = "<script>alert(1)</script> | # heading & [a](https://evil.example)\nsecond line"


def _inline_text(tokens) -> str:
    return "".join(child.content for token in tokens if token.type == "inline" for child in token.children or ()
                   if child.type == "text")


def test_markdown_shows_what_result_files_say_as_text(trees, make_report) -> None:
    from markdown_it import MarkdownIt

    def hostile_title(document: dict) -> None:
        document["controls"][0].update(title=HOSTILE_TITLE, status="not-applicable")
        recount_audit(document)
    # The first node group names a control in the table of controls that differ between node groups.
    edit(result(trees["current"], "eks-optimized-al2023", 1, "audit"), hostile_title)
    edit(result(trees["current"], "cis-al2023", 1, "kube-bench"), lambda d: d.update(errors=[{"detail": HOSTILE_DETAIL}]))
    markdown = render_markdown(make_report(trees["current"]))
    # Rendered as GitHub does (CommonMark with tables): no HTML, no link, no image, no emphasis comes from a file.
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    from_files = kinds & {"html_inline", "html_block", "link_open", "image", "em_open"}
    assert not from_files, from_files
    text = _inline_text(tokens)
    assert HOSTILE_TITLE in text
    assert "kube-bench: a node: <script>alert(1)</script> | # heading & [a](https://evil.example) second line" in text
    # The table keeps its shape: the pipe in the detail did not open a column.
    assert all(row.count(" | ") == 10 for row in markdown.splitlines() if row.startswith("| cis-al2023 |"))


def test_a_previous_report_that_was_not_used_is_said_in_both_formats(trees, make_report) -> None:
    report = make_report(trees["current"])
    report["diff"]["previousIgnored"] = "the previous report cannot be read: reports/dev/report.json is not JSON"
    expected = ("No diff: a previous report exists but was not used (the previous report cannot be read: "
                "reports/dev/report.json is not JSON).")
    assert expected in render_html(report).replace("\n", " ")
    assert expected.replace("_", "\\_") in render_markdown(report)


def hostile_named_report(trees, make_report):
    """Overdue CVEs, an Inspector disagreement and an exclusion reason, each carrying hostile text."""
    from tests.pipeline.conftest import dev_config

    def packages(document: dict) -> None:
        for finding in document["vulnerabilities"]["findings"]:
            finding["packages"] = ["<img src=x onerror=alert(1)>", "glibc|common"]
        document["cis"]["disagreements"] = [{"id": "1.1.2.1", "title": HOSTILE_TITLE, "inspector": "FAILED",
                                             "audit": "excluded"}]
    edit(result(trees["current"], "eks-optimized-al2023", 2, "inspector"), packages)
    config = dev_config(exclusions={"al2023": [{"id": "1.1.2.1", "reason": "<b>ours</b> | [why](https://x.example)"}]})
    return make_report(trees["current"], config=config)


def test_both_formats_name_each_overdue_cve_disagreement_and_exclusion(trees, make_report) -> None:
    report = hostile_named_report(trees, make_report)
    markdown = render_markdown(report)
    lines = markdown.splitlines()
    overdue = lines.index("| CVE | packages | node group | severity | due date |")
    assert lines[overdue + 2: overdue + 6] == [
        "| CVE-2025-21756 | kernel | eks-optimized-al2023/level-1 | HIGH | 2025-03-29 |",
        "| CVE-2025-0395 | \\<img src=x onerror=alert(1)\\>, glibc\\|common | eks-optimized-al2023/level-2 | MEDIUM "
        "| 2025-06-18 |",
        "| CVE-2025-21756 | \\<img src=x onerror=alert(1)\\>, glibc\\|common | eks-optimized-al2023/level-2 | HIGH "
        "| 2025-03-29 |",
        "| CVE-2025-21756 | kernel | cis-al2023/level-1 | HIGH | 2025-03-29 |"]
    assert "## Controls where Inspector CIS disagrees with our audit" in markdown
    assert ("| eks-optimized-al2023/level-1 | 1.1.2.1 | Ensure /tmp is a separate partition | FAILED | excluded |"
            in markdown)
    assert "## Excluded controls" in markdown
    assert re.search(r"^\| al2023 \| 5\.1\.1\.6 \| Ensure rsyslog .* \| automatic: no site log host", markdown, re.M)

    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "em_open"}
    text = _inline_text(tokens)
    assert HOSTILE_TITLE in text and "<b>ours</b> | [why](https://x.example)" in text

    page = render_html(report)
    parser = TagBalance()
    parser.feed(page.removeprefix("<!DOCTYPE html>\n"))
    assert parser.stack == [] and "<img" not in page and "<b>" not in page
    cells = "\n".join(parser.text)
    for shown in ("CVE-2025-0395", "<img src=x onerror=alert(1)>, glibc|common", "2025-06-18", HOSTILE_TITLE,
                  "<b>ours</b> | [why](https://x.example)", "Vulnerabilities past their due date"):
        assert shown in cells


def test_plain_exclusion_ids_are_reported_with_no_reason_given(trees, make_report) -> None:
    report = make_report(trees["current"])
    assert report["exclusions"][0] == {"benchmark": "al2023", "id": "1.1.2.1",
                                       "title": "Ensure /tmp is a separate partition", "origin": "config",
                                       "reason": "no reason given"}
    assert "| al2023 | 1.1.2.1 | Ensure /tmp is a separate partition | no reason given |" in render_markdown(report)
