"""5.1.1.6 (rsyslog forwards to the site's log host) behaves the same on AL2023 and AL2.

Both benchmarks read forwarding through lib/rsyslog_forward.sh and write the same omfwd action from
`apply --set remote-log-host=HOST[:PORT]`; without the value apply stops with exit 2 and names the control.
The scenarios under scenarios/<benchmark>/section_5/5.1.1.6/ cover the audit's traps; here the fix itself.
"""

from __future__ import annotations

import pytest

from tests.hardening.harness import BENCHMARK_FIXTURE, audit, make_root, run, script_path, tree_digest

FORWARD_CONF = "etc/rsyslog.d/90-cis-remote-log-host.conf"
BENCHMARKS = ("al2023", "al2")


def prepared_root(tmp_path, benchmark):
    root = make_root(tmp_path, BENCHMARK_FIXTURE[benchmark])
    if not (root / "etc/rsyslog.conf").exists():  # the AL2023 EKS AMI has no rsyslog: install its configuration
        (root / "etc/rsyslog.d").mkdir(parents=True, exist_ok=True)
        (root / "etc/rsyslog.conf").write_text('include(file="/etc/rsyslog.d/*.conf" mode="optional")\n'
                                               "*.info;mail.none;authpriv.none;cron.none /var/log/messages\n")
    return root


@pytest.mark.parametrize("benchmark", BENCHMARKS)
def test_apply_with_the_site_host_forwards_and_settles(tmp_path, benchmark):
    script = script_path(benchmark, 1)
    root = prepared_root(tmp_path, benchmark)
    assert audit(script, root, "5.1.1.6")["5.1.1.6"]["status"] == "fail"
    args = ("apply", "--root", str(root), "--set", "remote-log-host=logs.example.internal:6514", "--only", "5.1.1.6")
    proc = run(script, *args, check_rc=(0,))
    assert "| fixed |" in proc.stdout
    text = (root / FORWARD_CONF).read_text()
    assert 'action(type="omfwd" target="logs.example.internal" port="6514" protocol="tcp"' in text
    assert 'queue.type="LinkedList"' in text and 'queue.saveOnShutdown="on"' in text
    result = audit(script, root, "5.1.1.6")["5.1.1.6"]
    assert result["status"] == "pass" and "logs.example.internal" in result["detail"]
    settled = tree_digest(root)
    run(script, *args, check_rc=(0,))
    assert tree_digest(root) == settled, "second apply changed the root"


def test_both_benchmarks_write_the_same_forwarding_action(tmp_path):
    written = {}
    for benchmark in BENCHMARKS:
        root = prepared_root(tmp_path / benchmark, benchmark)
        run(script_path(benchmark, 1), "apply", "--root", str(root), "--set", "remote-log-host=[fd00:ec2::514]",
            "--only", "5.1.1.6", check_rc=(0,))
        written[benchmark] = (root / FORWARD_CONF).read_text()
    assert written["al2"] == written["al2023"]
    assert 'target="fd00:ec2::514" port="514"' in written["al2"]


@pytest.mark.parametrize("benchmark", BENCHMARKS)
def test_without_the_site_host_apply_stops_with_exit_2(tmp_path, benchmark):
    script = script_path(benchmark, 1)
    root = prepared_root(tmp_path, benchmark)
    digest = tree_digest(root)
    proc = run(script, "apply", "--root", str(root), "--only", "5.1.1.6", check_rc=(2,))
    assert "5.1.1.6" in proc.stderr and "--set remote-log-host=" in proc.stderr
    assert tree_digest(root) == digest


def test_al2_restores_the_include_rsyslog_needs_to_read_the_rule(tmp_path):
    script = script_path("al2", 1)
    root = prepared_root(tmp_path, "al2")
    conf = root / "etc/rsyslog.conf"
    conf.write_text("".join(line for line in conf.read_text().splitlines(keepends=True)
                            if not line.startswith("$IncludeConfig")))
    run(script, "apply", "--root", str(root), "--set", "remote-log-host=10.0.0.10", "--only", "5.1.1.6",
        check_rc=(0,))
    assert "$IncludeConfig /etc/rsyslog.d/*.conf" in conf.read_text()
    assert audit(script, root, "5.1.1.6")["5.1.1.6"]["status"] == "pass"


@pytest.mark.parametrize("benchmark", BENCHMARKS)
def test_an_excluded_5_1_1_6_needs_no_site_host(tmp_path, benchmark):
    script = script_path(benchmark, 1, excluded=("5.1.1.6",))
    root = prepared_root(tmp_path, benchmark)
    proc = run(script, "apply", "--root", str(root), "--only", "5.1.1.6", check_rc=(0,))
    assert "| excluded |" in proc.stdout and not (root / FORWARD_CONF).exists()
