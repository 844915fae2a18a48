"""Method 2: what the EKS install changes on a CIS image must not reach the gate as a regression.

amazon-eks-ami's install-worker.sh installs nfs-utils, whose mount.nfs is set-uid root: a new privileged
program without an audit rule turns AL2023 5.2.3.6 from pass to fail, and the build gate stops the build.
The build therefore re-applies the registry's eks_install_controls with our content after the install
(harden.sh PHASE=site). Played here with the real rendered script on a fixture root.
"""

from __future__ import annotations

import os
import subprocess

from hardened_eks.patterns import PATTERNS
from tests.conftest import ROOT
from tests.hardening.harness import apply, audit, make_root, script_path

HARDEN = ROOT / "packer" / "scripts" / "harden.sh"


def test_a_set_uid_program_from_the_eks_install_is_audited_again_before_the_gate(tmp_path):
    controls = PATTERNS["cis-al2023"].eks_install_controls[2]
    assert "5.2.3.6" in controls
    script = script_path("al2023", 2)
    root = make_root(tmp_path)
    apply(script, root, "5.2.3.6")  # the CIS image: every privileged program audited
    assert audit(script, root, "5.2.3.6")["5.2.3.6"]["status"] == "pass"

    mount_nfs = root / "usr" / "sbin" / "mount.nfs"  # what nfs-utils brings
    mount_nfs.parent.mkdir(parents=True, exist_ok=True)
    mount_nfs.write_text("#!/bin/sh\n")
    mount_nfs.chmod(0o4755)
    assert audit(script, root, "5.2.3.6")["5.2.3.6"]["status"] == "fail"  # the regression the gate would block

    # harden.sh runs cis-harden.sh from WORK_DIR on the builder; here that script is the rendered one on the root.
    work = tmp_path / "work"
    work.mkdir()
    (work / "cis-harden.sh").write_text(f'#!/bin/bash\nexec bash {script} "$@" --root {root}\n')
    # The builder's other eks_install_controls (SELinux) need a running system; this root can only show 5.2.3.6.
    result = subprocess.run(["bash", str(HARDEN)], env={"PATH": os.environ["PATH"], "WORK_DIR": str(work),
                                                        "PHASE": "site", "SITE_CONTROLS": "5.2.3.6"},
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert audit(script, root, "5.2.3.6")["5.2.3.6"]["status"] == "pass"


def test_the_build_passes_the_registrys_controls_to_the_site_phase_minus_exclusions(run_program, tmp_path):
    from hardened_eks.ami_build.runner import Runner
    from hardened_eks.ami_build.spec import SPEC_ENV, BuildSpec

    mocks = run_program({"patterns": [{"pattern": "cis-al2023", "levels": [1, 2]}],
                         "exclusions": {"al2023": ["1.6.1.5"]}})
    specs = {s.level: s for s in (BuildSpec.from_json(c.inputs["environment"][SPEC_ENV])
                                  for c in mocks.of_type("command:local:Command"))}
    assert specs[1].eks_install_controls == () and specs[2].eks_install_controls == ("5.2.3.6",)
    variables = Runner(specs[2]).packer_variables()
    assert variables["eks_install_controls"] == "5.2.3.6"
    template = (ROOT / "packer" / "node-ami" / "node-ami.pkr.hcl").read_text()
    assert 'var.site_controls, var.eks_install_controls' in template
