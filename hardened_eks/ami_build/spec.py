"""What one AMI build needs, and the content hash that decides whether it runs again.

The spec travels to the runner as JSON in one environment variable of the Command. Everything that
changes the image is in the hash; what only affects bookkeeping (retention, local paths) is not, so
changing it never rebuilds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from hardened_eks.ami_build.volumes import PartitionVolume
from hardening.render import render

SPEC_ENV = "HARDENED_EKS_AMI_BUILD"
PROJECT_DIR = Path(__file__).resolve().parents[2]
PACKER_DIR = PROJECT_DIR / "packer"
TEMPLATE_DIR = PACKER_DIR / "node-ami"
# Relative paths in the spec are resolved against the checkout that runs the build, so nothing
# machine-specific reaches the Command's inputs (they are stored in state and reused on delete).
DEFAULT_WORK_ROOT = "build/ami"

# awslabs/amazon-eks-ami release whose build scripts method 2 runs on the builder, per OS family.
# v20250920 is a recent release that still carries templates/al2 (removed in PR #2645, 2026-03) and
# the nodeadm-based templates/al2023; one tag for both keeps the two bases on the same scripts.
EKS_AMI_RELEASES = {"al2023": "v20250920", "al2": "v20250920"}

# Builder facts per OS family (both Amazon Linux generations boot from /dev/xvda as ec2-user).
SSH_USERNAME = "ec2-user"
ROOT_DEVICE_NAME = "/dev/xvda"
ROOT_VOLUME_GIB = 30
SHELL_REMOTE_FOLDER = "/home/ec2-user"  # exists on every Amazon Linux image; /tmp may be noexec
REMOTE_WORK_DIR = "/home/ec2-user/hardened-eks-build"

# The builder's plumbing travels in its own environment variables: it does not change the image, and
# it is only known once those resources exist, while the spec (and so the hash) is known at preview.
BUILDER_ENV = {"subnet_id": "HARDENED_EKS_BUILDER_SUBNET", "security_group_id": "HARDENED_EKS_BUILDER_SECURITY_GROUP",
               "instance_profile": "HARDENED_EKS_BUILDER_INSTANCE_PROFILE"}

# Fields that do not change the image: excluded from the hash so that editing them never rebuilds.
_NOT_HASHED = ("build_hash", "retention", "results_root", "work_root", "marketplace_product", *BUILDER_ENV)


@cache
def hardening_script(benchmark: str, level: int, excluded: tuple[str, ...], ip_family: str) -> str:
    """The rendered cis-harden.sh. Controls nobody has implemented yet are rendered as failing, so
    the build gate stops a build that would otherwise claim them."""
    return render(benchmark, level, excluded, ip_family, allow_unimplemented=True)


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@cache
def template_digest(root: Path = PACKER_DIR) -> str:
    """One hash over every template and provisioner script, names included."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def in_project(path: str) -> Path:
    """A spec path: absolute as given, relative to the checkout running this code otherwise."""
    return Path(path) if Path(path).is_absolute() else PROJECT_DIR / path


def ami_parameter_name(stack: str, pattern: str, level: int) -> str:
    """The SSM parameter that always holds the current AMI id of a (pattern, level)."""
    return f"/hardened-eks/{stack}/{pattern}/level-{level}/ami-id"


def ami_name_prefix(stack: str, pattern: str, level: int) -> str:
    """What every finished build of a (stack, pattern, level) is named with; Packer's temporary images are not."""
    return f"hardened-eks-{stack}-{pattern}-level{level}-"


def ami_name(stack: str, pattern: str, level: int, build_hash: str) -> str:
    """Deterministic and unique per content: the same inputs give the same name, never a timestamp."""
    return f"{ami_name_prefix(stack, pattern, level)}{build_hash[:16]}"


class BuildIdentity:
    """What names a build in AWS, for the full spec and for the lenient one `delete` reads."""

    stack: str
    pattern: str
    level: int
    region: str
    ami_regions: tuple[str, ...]
    build_hash: str

    @property
    def regions(self) -> tuple[str, ...]:
        return (self.region, *self.ami_regions)

    @property
    def ami_name(self) -> str:
        return ami_name(self.stack, self.pattern, self.level, self.build_hash)

    @property
    def key_pair_name(self) -> str:
        """Packer's temporary key pair: named after the build, so a run that was killed can be swept."""
        return self.ami_name

    @property
    def parameter_name(self) -> str:
        return ami_parameter_name(self.stack, self.pattern, self.level)


@dataclass(frozen=True)
class BuildSpec(BuildIdentity):
    stack: str
    pattern: str
    level: int
    method: str  # BuildMethod value; also the Packer source name
    os_family: str
    benchmark: str
    benchmark_version: str
    excluded: tuple[str, ...]
    ip_family: str
    kubernetes_version: str
    region: str
    source_ami_id: str
    instance_type: str
    kms_key_id: str
    subnet_id: str = ""  # builder plumbing: see BUILDER_ENV
    security_group_id: str = ""
    instance_profile: str = ""
    ami_regions: tuple[str, ...] = ()
    region_kms_key_ids: dict[str, str] = field(default_factory=dict)
    share_accounts: tuple[str, ...] = ()
    ami_tags: dict[str, str] = field(default_factory=dict)  # without the build-hash tag (added after hashing)
    run_tags: dict[str, str] = field(default_factory=dict)
    eks_ami_release: str = ""
    # Extra EBS volumes for the separate-partition controls in the profile (method 1), kept in the AMI.
    volumes: tuple[PartitionVolume, ...] = ()
    # Site values for `cis-harden.sh apply --set NAME=VALUE` (they change the image, so they are hashed).
    settings: dict[str, str] = field(default_factory=dict)
    # Method 2: the controls applied with those site values (method 1 applies every control anyway).
    site_controls: tuple[str, ...] = ()
    # Method 2: the controls the EKS install can undo on the CIS image, applied again after it with our content
    # (new set-uid programs need their audit rules; SELinux must stay enforcing with container-selinux).
    eks_install_controls: tuple[str, ...] = ()
    # Method 2: the exact EKS node binaries, `<kubernetes patch>/<build date>` in the amazon-eks bucket, resolved
    # when the stack is planned so that a new kubelet patch is a new build.
    eks_binaries: str = ""
    # Method 2: the Marketplace product of the source image, named when the account is not subscribed.
    marketplace_product: str = ""
    script_sha256: str = ""
    template_sha256: str = ""
    retention: int = 2
    results_root: str = "results"
    work_root: str = DEFAULT_WORK_ROOT
    build_hash: str = ""

    # -- hashing -------------------------------------------------------------------------------
    def content(self) -> dict[str, Any]:
        return {k: v for k, v in _plain(asdict(self)).items() if k not in _NOT_HASHED}

    def computed_hash(self) -> str:
        return sha256(json.dumps(self.content(), sort_keys=True, separators=(",", ":")))

    def with_hash(self) -> BuildSpec:
        return replace(self, build_hash=self.computed_hash())

    # -- transport -----------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(_plain(asdict(self)), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> BuildSpec:
        """The spec a create or update runs with: exactly this code's fields, and a hash that matches them."""
        data = json.loads(text)
        unknown = sorted(set(data) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"build spec has field(s) this code does not know: {', '.join(unknown)}; "
                             "run `pulumi up` with the checkout that planned it")
        for key in ("excluded", "ami_regions", "share_accounts", "site_controls", "eks_install_controls"):
            data[key] = tuple(data.get(key, ()))
        data["volumes"] = tuple(PartitionVolume(**volume) for volume in data.get("volumes", ()))
        spec = cls(**data)
        if spec.build_hash != spec.computed_hash():
            raise ValueError(f"build spec of {spec.pattern} level {spec.level}: its build_hash does not match its "
                             "content; the spec was edited outside the program")
        return spec

    def with_builder(self, environment: dict[str, str]) -> BuildSpec:
        """The spec with the builder's subnet, security group and instance profile from the environment."""
        return replace(self, **{name: environment.get(variable, "") for name, variable in BUILDER_ENV.items()})

    # -- derived -------------------------------------------------------------------------------
    @property
    def build_dir(self) -> Path:
        return in_project(self.work_root) / self.stack / self.pattern / f"level-{self.level}"

    @property
    def results_dir(self) -> Path:
        return in_project(self.results_root)

    def volume_arguments(self) -> str:
        """`apply --volume` values, space-separated, in the catalogue's order (/var before its children)."""
        return " ".join(f"{v.mountpoint}={v.device}" for v in self.volumes)

    def settings_arguments(self) -> str:
        """`apply --set` values, space-separated (cis-harden.sh admits no blank in a value)."""
        return " ".join(f"{name}={value}" for name, value in sorted(self.settings.items()))

    def script_text(self) -> str:
        return hardening_script(self.benchmark, self.level, self.excluded, self.ip_family)


@dataclass(frozen=True)
class DeletionScope(BuildIdentity):
    """What `delete` needs of a build, read leniently from the spec stored when it was created.

    pulumi-command runs `delete` with the inputs in state, possibly years and many code changes later,
    from another checkout: unknown fields are ignored, missing optional ones default, and the hash is
    not recomputed (the code that would recompute it may hash differently now).
    """

    stack: str
    pattern: str
    level: int
    region: str
    ami_regions: tuple[str, ...]
    build_hash: str

    @classmethod
    def from_json(cls, text: str) -> DeletionScope:
        try:
            data = json.loads(text)
            scope = cls(stack=str(data["stack"]), pattern=str(data["pattern"]), level=int(data["level"]),
                        region=str(data["region"]), ami_regions=tuple(str(r) for r in data.get("ami_regions") or ()),
                        build_hash=str(data.get("build_hash") or ""))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"the stored build spec cannot say what to delete ({type(error).__name__}: {error}); "
                             "it needs stack, pattern, level and region") from None
        return scope


@dataclass(frozen=True)
class BuildOutput:
    """What the runner prints on stdout and the component parses: the AMI per region."""

    ami_id: str
    amis: dict[str, str]  # region -> AMI id, the build region first
    build_hash: str
    source_ami_id: str
    ami_name: str

    def to_json(self) -> str:
        return json.dumps({"amiId": self.ami_id, "amis": self.amis, "buildHash": self.build_hash,
                           "sourceAmiId": self.source_ami_id, "amiName": self.ami_name}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> BuildOutput:
        data = json.loads(text)
        return cls(ami_id=data["amiId"], amis=dict(data["amis"]), build_hash=data["buildHash"],
                   source_ami_id=data["sourceAmiId"], ami_name=data["amiName"])

    @classmethod
    def parse(cls, stdout: str) -> BuildOutput:
        """The last line of the runner's stdout is the JSON document (earlier lines may be notes)."""
        lines = [line for line in (stdout or "").strip().splitlines() if line.strip()]
        if not lines:
            raise ValueError("the AMI build printed nothing on stdout; expected one JSON line with amiId")
        return cls.from_json(lines[-1])


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value

