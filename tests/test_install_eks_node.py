"""packer/scripts/install-eks-node.sh against stand-ins of the pinned amazon-eks-ami scripts.

The upstream provisioners run under `set -o nounset`: an unset variable they read aborts the build. The
stand-ins read exactly the variables the v20250920 scripts read (install-worker.sh, install-nodeadm.sh,
cache-pause-container.sh, upgrade-kernel.sh) under nounset, and the wrapper runs under `env -i bash -u`,
so anything it forgets to pass fails here as it would on the builder.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "packer" / "scripts" / "install-eks-node.sh"
STRICT = "set -o errexit -o nounset -o pipefail\n"

# Variables each upstream script reads at v20250920 (the research behind them: ../shared/reviews and the
# closing note); `record` writes them so the test can check the values too.
AL2023_WORKER = ("BINARY_BUCKET_NAME", "BINARY_BUCKET_REGION", "CONTAINERD_VERSION", "KUBERNETES_BUILD_DATE",
                 "KUBERNETES_VERSION", "RUNC_VERSION", "WORKING_DIR", "INSTALL_CONTAINERD_FROM_S3", "AWS_ACCESS_KEY_ID",
                 "SSM_AGENT_VERSION")
AL2_WORKER = ("BINARY_BUCKET_NAME", "BINARY_BUCKET_REGION", "CACHE_CONTAINER_IMAGES", "CNI_PLUGIN_VERSION",
              "CONTAINERD_VERSION", "DOCKER_VERSION", "KUBERNETES_BUILD_DATE", "KUBERNETES_VERSION",
              "PAUSE_CONTAINER_VERSION", "PULL_CNI_FROM_GITHUB", "RUNC_VERSION", "WORKING_DIR",
              "INSTALL_CONTAINERD_FROM_S3", "AWS_ACCESS_KEY_ID", "SSM_AGENT_VERSION")
NODEADM = ("BUILD_IMAGE", "AWS_REGION", "PROJECT_DIR")
PAUSE = ("PAUSE_CONTAINER_IMAGE",)
KERNEL = ("KERNEL_VERSION", "KUBERNETES_VERSION")


def stand_in(path: Path, name: str, reads: tuple[str, ...], extra: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    values = " ".join(f'"{v}=${{{v}}}"' for v in reads)  # ${X} under nounset: unset aborts, as upstream
    path.write_text(f"#!/bin/bash\n{STRICT}printf '%s\\n' {values} > \"$RECORD_DIR/{name}\"\n{extra}")


def release_tree(work: Path, os_family: str) -> Path:
    src = work / "amazon-eks-ami"
    templates = src / "templates"
    kubelet = ('cat > "$STUB_BIN/kubelet" <<EOF\n#!/bin/sh\necho "Kubernetes v${KUBERNETES_VERSION}-eks-f1e2d3"\nEOF\n'
               'chmod +x "$STUB_BIN/kubelet"\n')
    stand_in(templates / "al2023" / "provisioners" / "install-worker.sh", "install-worker", AL2023_WORKER, kubelet)
    stand_in(templates / "al2023" / "provisioners" / "install-nodeadm.sh", "install-nodeadm", NODEADM)
    stand_in(templates / "al2023" / "provisioners" / "cache-pause-container.sh", "cache-pause", PAUSE)
    stand_in(templates / "al2" / "provisioners" / "install-worker.sh", "install-worker", AL2_WORKER,
             'if [[ ${INSTALL_DOCKER:-} == true ]]; then echo "$USER" >/dev/null; fi\n' + kubelet)
    stand_in(templates / "al2" / "provisioners" / "upgrade-kernel.sh", "upgrade-kernel", KERNEL,
             'echo "kernel-5.10.242 Mon 01 Sep 2025" > "$STUB_STATE/kernel"\n')
    for name in ("cleanup.sh", "validate.sh"):  # must never run mid-build
        target = templates / ("shared" if name == "cleanup.sh" else os_family) / "provisioners" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f'#!/bin/bash\ntouch "$RECORD_DIR/{name}-ran"\n')
    # The release's region-to-registry table (its AL2 runtime script), as a stand-in with two regions.
    get_ecr = templates / "al2" / "runtime" / "get-ecr-uri.sh"
    get_ecr.parent.mkdir(parents=True, exist_ok=True)
    get_ecr.write_text('#!/bin/bash\nset -o nounset\ncase $1 in af-south-1) acct=877085696533 ;; *) acct=602401143452 ;;'
                       ' esac\necho "$acct.dkr.ecr.$1.$2"\n')
    for folder in ("al2023/runtime/rootfs/etc/eks", "al2023/runtime/gpu", "shared/runtime/bin", "al2/runtime/bin"):
        (templates / folder).mkdir(parents=True, exist_ok=True)
    (templates / "al2023/runtime/rootfs/etc/eks/release").write_text("stand-in\n")
    (templates / "shared/runtime/bin/imds").write_text("#!/bin/sh\n")
    (templates / "al2/runtime/bin/imds").write_text("#!/bin/sh\n")
    (src / "nodeadm").mkdir(parents=True)
    (src / "log-collector-script" / "linux").mkdir(parents=True)
    (src / "log-collector-script" / "linux" / "eks-log-collector.sh").write_text("#!/bin/sh\n")
    for family, values in {
        "al2023": {"containerd_version": "2.*", "runc_version": "*", "nodeadm_build_image": "public.ecr.aws/golang:1.24",
                   "pause_container_image": "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/pause:3.10"},
        "al2": {"containerd_version": "1.7.*", "runc_version": "1.*", "docker_version": "25.0.*",
                "cni_plugin_version": "v1.2.0", "pause_container_version": "3.10", "pull_cni_from_github": "true",
                "kernel_version": ""},
    }.items():
        (templates / family / "variables-default.json").write_text(json.dumps(values, indent=2))
    return src


def stubs(folder: Path) -> Path:
    folder.mkdir()
    tools = {
        "getenforce": 'echo "${STUB_SELINUX:-Disabled}"',
        "rpm": ('if [[ $* == "-q --last kernel" ]]; then cat "$STUB_STATE/kernel"; exit 0; fi\n'
                '[[ -e "$STUB_STATE/installed-${*: -1}" ]]'),
        "dnf": 'echo "dnf $*" >> "$RECORD_DIR/packages"; touch "$STUB_STATE/installed-${*: -1}"',
        "yum": 'echo "yum $*" >> "$RECORD_DIR/packages"; touch "$STUB_STATE/installed-${*: -1}"',
        "amazon-linux-extras": 'echo "amazon-linux-extras $*" >> "$RECORD_DIR/packages"',
        "systemctl": 'echo "systemctl $*" >> "$RECORD_DIR/systemctl"',
        "aws": "exit 0",
        "curl": 'echo "no network in tests" >&2; exit 7',
    }
    for name, body in tools.items():
        (folder / name).write_text(f"#!/bin/bash\n{body}\n")
        (folder / name).chmod(0o755)
    return folder


@pytest.fixture
def builder(tmp_path):
    def run(os_family: str, phase: str = "install", selinux: str = "Disabled", region: str = "eu-west-1",
            binaries: str = "1.33.5/2025-09-19", **extra: str) -> subprocess.CompletedProcess:
        work, records, state, root = (tmp_path / n for n in ("work", "records", "state", "root"))
        for folder in (records, state, root):
            folder.mkdir(exist_ok=True)
        (state / "kernel").write_text("kernel-4.14.355 Mon 01 Jul 2025\n")
        if not (work / "amazon-eks-ami").exists():
            release_tree(work, os_family)
        bin_dir = tmp_path / "bin"
        if not bin_dir.exists():
            stubs(bin_dir)
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "WORK_DIR": str(work),
               "OS_FAMILY": os_family, "KUBERNETES_VERSION": binaries.split(".")[0] + "." + binaries.split(".")[1],
               "EKS_AMI_RELEASE": "v20250920", "AWS_REGION": region, "PHASE": phase, "EKS_BINARIES": binaries,
               "INSTALL_ROOT": str(root), "RECORD_DIR": str(records), "STUB_STATE": str(state),
               "STUB_BIN": str(bin_dir), "STUB_SELINUX": selinux, **extra}
        return subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), "bash", "-u", str(SCRIPT)],
                              capture_output=True, text=True, timeout=60, check=False)

    run.records = tmp_path / "records"
    run.root = tmp_path / "root"
    return run


def recorded(builder, name: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in (builder.records / name).read_text().splitlines())


def test_al2023_install_passes_every_variable_the_upstream_scripts_read(builder):
    result = builder("al2023")
    assert result.returncode == 0, result.stderr
    worker = recorded(builder, "install-worker")
    assert worker["KUBERNETES_VERSION"] == "1.33.5" and worker["KUBERNETES_BUILD_DATE"] == "2025-09-19"
    assert worker["INSTALL_CONTAINERD_FROM_S3"] == "false" and worker["AWS_ACCESS_KEY_ID"] == ""
    assert recorded(builder, "install-nodeadm")["AWS_REGION"] == "eu-west-1"
    # The pause image comes from the build region's EKS registry, not us-west-2's.
    assert recorded(builder, "cache-pause")["PAUSE_CONTAINER_IMAGE"] == \
        "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/pause:3.10"
    assert (builder.root / "etc" / "eks" / "release").exists()  # the release's rootfs, under the install root
    assert not (builder.records / "cleanup.sh-ran").exists() and not (builder.records / "validate.sh-ran").exists()


def test_al2_install_passes_every_variable_the_upstream_scripts_read(builder):
    result = builder("al2", binaries="1.32.9/2025-09-19")
    assert result.returncode == 0, result.stderr
    worker = recorded(builder, "install-worker")
    assert worker["KUBERNETES_VERSION"] == "1.32.9" and worker["CACHE_CONTAINER_IMAGES"] == "false"
    assert not (builder.records / "cleanup.sh-ran").exists() and not (builder.records / "validate.sh-ran").exists()


def test_al2_gets_the_upstream_kernel_and_reboots_into_it(builder):
    result = builder("al2", phase="kernel", binaries="1.32.9/2025-09-19")
    assert result.returncode == 0, result.stderr
    assert recorded(builder, "upgrade-kernel")["KERNEL_VERSION"] == ""  # upstream then picks 5.10
    assert (builder.records / "systemctl").read_text().strip() == "systemctl reboot"


def test_al2023_keeps_its_kernel(builder):
    result = builder("al2023", phase="kernel")
    assert result.returncode == 0, result.stderr
    assert not (builder.records / "upgrade-kernel").exists() and not (builder.records / "systemctl").exists()


@pytest.mark.parametrize(("os_family", "binaries", "expected"), [
    ("al2023", "1.33.5/2025-09-19", ["dnf install -y container-selinux"]),
    ("al2", "1.32.9/2025-09-19", ["amazon-linux-extras enable selinux-ng", "yum install -y container-selinux"]),
])
def test_enforcing_selinux_gets_container_selinux(builder, os_family, binaries, expected):
    result = builder(os_family, selinux="Enforcing", binaries=binaries)
    assert result.returncode == 0, result.stderr
    assert (builder.records / "packages").read_text().splitlines() == expected


def test_permissive_selinux_installs_nothing_extra(builder):
    assert builder("al2023", selinux="Permissive").returncode == 0
    assert not (builder.records / "packages").exists()


def test_binaries_of_another_minor_version_are_refused(builder):
    result = builder("al2023", binaries="1.33.5/2025-09-19", KUBERNETES_VERSION="1.34")
    assert result.returncode == 2 and "is not a 1.34 build" in result.stderr


def test_a_kubelet_that_is_not_the_planned_one_fails_the_step(builder, tmp_path):
    src = release_tree(tmp_path / "work", "al2023")
    worker = src / "templates" / "al2023" / "provisioners" / "install-worker.sh"
    worker.write_text(worker.read_text().replace("v${KUBERNETES_VERSION}", "v1.33.4"))
    result = builder("al2023")
    assert result.returncode == 1 and "expected v1.33.5" in result.stderr


def test_the_script_is_the_one_packer_runs():
    assert os.access(SCRIPT, os.R_OK)
    template = (ROOT / "packer" / "node-ami" / "node-ami.pkr.hcl").read_text()
    assert template.count("install-eks-node.sh") == 2 and "EKS_BINARIES=${var.eks_binaries}" in template
