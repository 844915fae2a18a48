"""Using the hardened AMIs elsewhere: what the stack publishes, and `python -m hardened_eks consume`.

The outputs come from the whole program run under mocks; the command runs as a real subprocess on them; what it
prints is checked by the systems that would read it: Karpenter's EC2NodeClass CRD schema (upstream v1.14.1, in
tests/fixtures/karpenter; OpenAPI through jsonschema, its CEL rules through cel-python), botocore's EC2 model for
CreateLaunchTemplate, a MIME parser, a TOML parser.
"""

from __future__ import annotations

import base64
import email
import json
import os
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import celpy
import jsonschema
import pulumi
import pytest
import yaml
from botocore.session import get_session
from botocore.validate import ParamValidator

from hardened_eks import program
from hardened_eks.ami_build.spec import SPEC_ENV
from hardened_eks.mocks import run_with_mocks
from tests.conftest import ROOT, make_raw_config

SCHEMA_FILE = ROOT / "tests" / "fixtures" / "karpenter" / "ec2nodeclass-v1.14.1.openapi.yaml"
CEL = celpy.Environment()
CLUSTER_FLAGS = ["--cluster-name", "prod", "--api-server-endpoint", "https://ABC.gr7.us-west-2.eks.amazonaws.com",
                 "--certificate-authority", base64.b64encode(b"ca").decode(), "--service-cidr", "10.100.0.0/16",
                 "--vpc-cidr", "10.42.0.0/16"]


def run_stack(overrides=None, stack="dev"):
    return run_with_mocks(program.main, make_raw_config({"amiOnly": True, **(overrides or {})}), stack=stack)


@pytest.fixture(scope="module")
def outputs_file(tmp_path_factory):
    """What `pulumi stack output --json` would print for the default test stack (AL2023 and Bottlerocket, L1+L2)."""
    mocks = run_stack({"amiRegions": ["eu-west-1"],
                       "kmsKeys": {"eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/eu-key"}})
    path = tmp_path_factory.mktemp("outputs") / "dev.json"
    path.write_text(json.dumps(mocks.exports, default=str))
    return path


def plain(value):
    """pulumi-aws marks an SSM parameter's value secret; under mocks it arrives wrapped in the secret envelope."""
    return value["value"] if isinstance(value, dict) and "value" in value else value


def consume(*args, env=None):
    return subprocess.run([sys.executable, "-m", "hardened_eks", "consume", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env)


# --- what the stack publishes --------------------------------------------------------------------------------

def test_every_node_group_publishes_its_facts_as_outputs_and_ssm_parameters():
    mocks = run_stack({"amiRegions": ["eu-west-1"],
                       "kmsKeys": {"eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/eu-key"}})
    consumers = mocks.exports["amiConsumers"]
    assert sorted(consumers) == ["bottlerocket/level-1", "bottlerocket/level-2", "eks-optimized-al2023/level-1",
                                 "eks-optimized-al2023/level-2"]
    al2023 = consumers["eks-optimized-al2023/level-2"]
    # The AMI the build printed, in both regions, with each region's key.
    assert al2023["amis"] == mocks.exports["hardenedAmis"]["eks-optimized-al2023/level-2"]
    assert set(al2023["amis"]) == {"us-west-2", "eu-west-1"}
    assert al2023["kmsKeys"]["eu-west-1"] == "arn:aws:kms:eu-west-1:123456789012:key/eu-key"
    # The level-2 AMI carries the separate-partition volumes the build attached; kubelet's data lives on /var's.
    (build,) = [r for r in mocks.of_type("command:local:Command") if "al2023-level2" in r.name]
    spec = json.loads(build.inputs["environment"][SPEC_ENV])
    assert [(v["device"], v["sizeGiB"]) for v in al2023["volumes"]] == [
        (v["device"], v["size_gib"]) for v in spec["volumes"]]
    assert al2023["ephemeralDevice"] == next(v["device"] for v in al2023["volumes"] if v["mountpoint"] == "/var")
    assert consumers["eks-optimized-al2023/level-1"]["volumes"] == []
    assert al2023["scanTag"] == {"key": "hardened-eks:cis-scan", "value": "dev-level2"}
    # Bottlerocket builds nothing: its AMI is the source the stack resolved, its parameter AWS's public one.
    rocket = consumers["bottlerocket/level-2"]
    assert rocket["builtAmi"] is False and rocket["amis"] == {"us-west-2": mocks.exports["sourceAmis"][
        "bottlerocket/level-2"]}
    assert rocket["amiParameter"] == "/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id"

    parameters = {r.inputs["name"]: r for r in mocks.of_type("aws:ssm/parameter:Parameter")}
    for key, facts in consumers.items():
        prefix = facts["parameterPrefix"]
        assert prefix == f"/hardened-eks/dev/{key}"
        for suffix in ("amis", "volumes", "kms-key-arn", "bootstrap", "user-data-example", "scan-tag"):
            value = plain(parameters[f"{prefix}/{suffix}"].inputs["value"])
            assert value and len(value.encode()) <= 4096, (prefix, suffix)  # SSM Standard tier: 4 KB, never empty
        assert json.loads(plain(parameters[f"{prefix}/amis"].inputs["value"])) == facts["amis"]
        assert plain(parameters[f"{prefix}/scan-tag"].inputs["value"]) == f"hardened-eks:cis-scan=dev-{key[-7:].replace('-', '')}"
    # The built AMI's id parameter stays where it was.
    assert parameters["/hardened-eks/dev/eks-optimized-al2023/level-2/ami-id"].inputs["dataType"] == "aws:ec2:image"
    # Bottlerocket level 2's user data (with its firewall script) is too long for SSM: the parameter says where it is.
    too_long = plain(parameters["/hardened-eks/dev/bottlerocket/level-2/user-data-example"].inputs["value"])
    assert len(rocket["userDataExample"]) > 4096 and 'amiConsumers["bottlerocket/level-2"]' in too_long
    short = plain(parameters["/hardened-eks/dev/eks-optimized-al2023/level-2/user-data-example"].inputs["value"])
    assert short == al2023["userDataExample"]


def test_ami_only_with_bottlerocket_warns_and_says_what_is_output_instead(monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *a, **k: warnings.append(message))
    run_stack()
    notes = [w for w in warnings if w.startswith("amiOnly:")]
    assert len(notes) == 2, warnings
    assert "bottlerocket level 2 builds no AMI" in notes[1]
    assert "/aws/service/bottlerocket/aws-k8s-1.33/x86_64/latest/image_id" in notes[1]
    assert "/hardened-eks/dev/bottlerocket/level-2/" in notes[1] and "userDataExample" in notes[1]
    warnings.clear()
    run_stack({"patterns": [{"pattern": "eks-optimized-al2023", "levels": [1]}]})
    assert not [w for w in warnings if w.startswith("amiOnly:")]


# --- Karpenter -----------------------------------------------------------------------------------------------

def crd_schema() -> dict:
    return yaml.safe_load(SCHEMA_FILE.read_text())


def cel_errors(schema: dict, value, path: str = "") -> list[str]:
    """Evaluate the CRD's x-kubernetes-validations (CEL) rules the way the API server does: each rule on each node of
    the document that is present, with `self` bound to it (transition rules, which need `oldSelf`, do not apply to a
    create)."""
    errors = []
    for validation in schema.get("x-kubernetes-validations", []):
        rule = validation["rule"]
        if "oldSelf" in rule:
            continue
        program = CEL.program(CEL.compile(rule))
        try:
            result = program.evaluate({"self": celpy.json_to_cel(value)})
        except Exception as error:  # an error evaluating a rule fails the object, as in the API server
            result = f"error: {error}"
        if not (isinstance(result, celpy.celtypes.BoolType) and bool(result)):  # false, or an evaluation error
            errors.append(f"{path or '.'}: {validation.get('message', rule)} ({result})")
    if isinstance(value, dict):
        for key, item in value.items():
            child = schema.get("properties", {}).get(key) or (schema.get("additionalProperties") if isinstance(
                schema.get("additionalProperties"), dict) else None)
            if child:
                errors += cel_errors(child, item, f"{path}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            errors += cel_errors(schema["items"], item, f"{path}[{index}]")
    return errors


def check_cel(document: dict) -> None:
    errors = cel_errors(crd_schema(), document)
    assert not errors, errors


def test_karpenter_node_classes_validate_against_the_upstream_crd(outputs_file):
    done = consume("--stack", "dev", "--for", "karpenter", "--outputs", str(outputs_file), "--vpc-cidr",
                   "10.42.0.0/16")
    assert done.returncode == 0, done.stderr
    documents = [d for d in yaml.safe_load_all(done.stdout) if d]
    assert len(documents) == 4
    assert "&id0" not in done.stdout  # plain YAML, no anchors and aliases to surprise a reader or a tool
    validator = jsonschema.Draft202012Validator(crd_schema())
    outputs = json.loads(outputs_file.read_text())["amiConsumers"]
    for document in documents:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
        assert not errors, errors
        check_cel(document)
        spec = document["spec"]
        assert spec["metadataOptions"]["httpTokens"] == "required"
        assert spec["metadataOptions"]["httpPutResponseHopLimit"] == 1
        key = f"{document['metadata']['labels']['hardened-eks/pattern']}/level-" \
              f"{document['metadata']['labels']['hardened-eks/level']}"
        assert spec["amiSelectorTerms"] == [{"id": outputs[key]["amis"]["us-west-2"]}]
        assert spec["tags"]["hardened-eks:cis-scan"] == outputs[key]["scanTag"]["value"]
        for mapping in spec["blockDeviceMappings"]:
            assert mapping["ebs"]["encrypted"] is True and mapping["ebs"]["kmsKeyID"] == outputs[key]["kmsKeyArn"]

    by_name = {d["metadata"]["name"]: d["spec"] for d in documents}
    level2 = by_name["hardened-eks-optimized-al2023-level2"]
    assert level2["amiFamily"] == "AL2023"
    assert [(m["deviceName"], m["ebs"]["volumeSize"]) for m in level2["blockDeviceMappings"]] == [
        ("/dev/xvda", "30Gi"), ("/dev/sdf", "100Gi"), ("/dev/sdg", "10Gi"), ("/dev/sdh", "20Gi"), ("/dev/sdi", "10Gi"),
        ("/dev/sdj", "5Gi")]
    assert [m["deviceName"] for m in level2["blockDeviceMappings"] if m.get("rootVolume")] == ["/dev/sdf"]
    assert "userData" not in level2  # Karpenter's own NodeConfig joins the node; the EKS-optimized base needs no more
    # Bottlerocket: our CIS settings as TOML; Karpenter fills in the cluster (it overwrites these keys anyway).
    rocket = by_name["hardened-bottlerocket-level2"]
    assert rocket["amiFamily"] == "Bottlerocket"
    settings = tomllib.loads(rocket["userData"])["settings"]
    assert not {"cluster-name", "api-server", "cluster-certificate"} & set(settings["kubernetes"])
    firewall = settings["bootstrap-containers"]["cis-firewall"]
    assert firewall["essential"] is True
    assert "10.42.0.2" in base64.b64decode(firewall["user-data"]).decode()  # the VPC resolver of --vpc-cidr
    assert [m["deviceName"] for m in rocket["blockDeviceMappings"] if m.get("rootVolume")] == ["/dev/xvdb"]


def test_the_crd_schema_is_live(outputs_file):
    """The validation above can fail: the same schema refuses a size without unit and an unknown hop limit."""
    done = consume("--stack", "dev", "--for", "karpenter", "--outputs", str(outputs_file), "--pattern",
                   "eks-optimized-al2023", "--level", "2")
    (document,) = [d for d in yaml.safe_load_all(done.stdout) if d]
    document["spec"]["blockDeviceMappings"][1]["ebs"]["volumeSize"] = "100"
    document["spec"]["metadataOptions"]["httpPutResponseHopLimit"] = 65
    errors = list(jsonschema.Draft202012Validator(crd_schema()).iter_errors(document))
    assert len(errors) == 2
    # ... and the CEL rules refuse a volume without size or snapshot, and a role beside an instance profile.
    del document["spec"]["blockDeviceMappings"][1]["ebs"]["volumeSize"]
    document["spec"]["instanceProfile"] = "KarpenterNodeInstanceProfile"
    messages = " ".join(cel_errors(crd_schema(), document))
    assert "snapshotID or volumeSize must be defined" in messages
    assert "must specify exactly one of ['role', 'instanceProfile']" in messages


def test_karpenter_for_a_cis_image_carries_the_firewall_openings_as_a_mime_shell_part(tmp_path):
    mocks = run_stack({"patterns": [{"pattern": "cis-al2023", "levels": [2]}]})
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(mocks.exports, default=str))
    done = consume("--stack", "dev", "--for", "karpenter", "--outputs", str(outputs), "--cluster-name", "prod")
    assert done.returncode == 0, done.stderr
    (document,) = [d for d in yaml.safe_load_all(done.stdout) if d]
    jsonschema.validate(document, crd_schema())
    check_cel(document)
    assert document["spec"]["role"] == "KarpenterNodeRole-prod"
    assert document["spec"]["subnetSelectorTerms"] == [{"tags": {"karpenter.sh/discovery": "prod"}}]
    message = email.message_from_string(document["spec"]["userData"])
    assert message.is_multipart()
    (part,) = message.get_payload()
    assert part.get_content_type() == "text/x-shellscript"
    assert "iptables -I INPUT -p tcp --dport 10250 -j ACCEPT" in part.get_payload()


# --- launch templates ----------------------------------------------------------------------------------------

def test_launch_templates_are_valid_create_launch_template_input_and_join_the_named_cluster(outputs_file):
    done = consume("--stack", "dev", "--for", "launch-template", "--outputs", str(outputs_file), *CLUSTER_FLAGS)
    assert done.returncode == 0, done.stderr
    inputs = json.loads(done.stdout)
    shape = get_session().get_service_model("ec2").operation_model("CreateLaunchTemplate").input_shape
    for request in inputs.values():
        report = ParamValidator().validate(request, shape)
        assert not report.has_errors(), report.generate_report()
        data = request["LaunchTemplateData"]
        assert data["MetadataOptions"]["HttpTokens"] == "required"
        assert all(m["Ebs"]["Encrypted"] for m in data["BlockDeviceMappings"])
    al2023 = inputs["eks-optimized-al2023/level-2"]["LaunchTemplateData"]
    assert [m["DeviceName"] for m in al2023["BlockDeviceMappings"]] == ["/dev/xvda", "/dev/sdf", "/dev/sdg",
                                                                         "/dev/sdh", "/dev/sdi", "/dev/sdj"]
    message = email.message_from_string(base64.b64decode(al2023["UserData"]).decode())
    (part,) = message.get_payload()
    assert part.get_content_type() == "application/node.eks.aws"
    node_config = yaml.safe_load(part.get_payload())
    assert node_config["spec"]["cluster"] == {"name": "prod", "apiServerEndpoint": CLUSTER_FLAGS[3],
                                              "certificateAuthority": CLUSTER_FLAGS[5], "cidr": "10.100.0.0/16"}
    rocket = tomllib.loads(base64.b64decode(
        inputs["bottlerocket/level-1"]["LaunchTemplateData"]["UserData"]).decode())["settings"]["kubernetes"]
    assert rocket["cluster-name"] == "prod" and rocket["api-server"] == CLUSTER_FLAGS[3]


def test_botocore_refuses_what_ec2_would(outputs_file):
    done = consume("--stack", "dev", "--for", "launch-template", "--outputs", str(outputs_file), "--pattern",
                   "eks-optimized-al2023", "--level", "1", *CLUSTER_FLAGS)
    request = json.loads(done.stdout)  # one entry: the --cli-input-json document itself
    assert request["LaunchTemplateName"] == "hardened-eks-dev-eks-optimized-al2023-level1"
    request["LaunchTemplateData"]["MetadataOptions"]["HttpPutResponseHopLimit"] = "one"
    shape = get_session().get_service_model("ec2").operation_model("CreateLaunchTemplate").input_shape
    assert ParamValidator().validate(request, shape).has_errors()


def test_launch_template_without_cluster_facts_is_one_line(outputs_file):
    done = consume("--stack", "dev", "--for", "launch-template", "--outputs", str(outputs_file), "--pattern",
                   "eks-optimized-al2023")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "--api-server-endpoint" in done.stderr
    done = consume("--stack", "dev", "--for", "launch-template", "--outputs", str(outputs_file), "--pattern",
                   "bottlerocket", "--level", "2", *CLUSTER_FLAGS[:-2])
    assert done.returncode == 2 and "--vpc-cidr" in done.stderr and done.stderr.count("\n") == 1


# --- Terraform -----------------------------------------------------------------------------------------------

def test_terraform_json_references_only_declared_data_sources(outputs_file):
    done = consume("--stack", "dev", "--for", "terraform", "--outputs", str(outputs_file))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    declared = document["data"]["aws_ssm_parameter"]
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name) for name in declared)  # Terraform identifiers
    amis = document["locals"]["hardened_eks_amis"]
    for entry in amis.values():
        reference = re.fullmatch(r"\$\{data\.aws_ssm_parameter\.([\w-]+)\.insecure_value\}", entry["ami_id"])
        assert reference and reference.group(1) in declared
    level2 = amis["eks-optimized-al2023/level-2"]
    assert declared[level2["ami_id"].split(".")[2]]["name"] == "/hardened-eks/dev/eks-optimized-al2023/level-2/ami-id"
    assert [m["volume_size"] for m in level2["block_device_mappings"]] == [30, 100, 10, 20, 10, 5]


def test_terraform_for_an_ami_copy_names_the_copy_and_its_key(outputs_file):
    """Our SSM parameters live in the stack's region only: another region gets the copy's id itself."""
    outputs = json.loads(outputs_file.read_text())["amiConsumers"]
    done = consume("--stack", "dev", "--for", "terraform", "--outputs", str(outputs_file), "--region", "eu-west-1",
                   "--pattern", "eks-optimized-al2023", "--level", "2")
    document = json.loads(done.stdout)
    assert "data" not in document
    level2 = document["locals"]["hardened_eks_amis"]["eks-optimized-al2023/level-2"]
    assert level2["ami_id"] == outputs["eks-optimized-al2023/level-2"]["amis"]["eu-west-1"]
    assert {m["kms_key_id"] for m in level2["block_device_mappings"]} == {
        "arn:aws:kms:eu-west-1:123456789012:key/eu-key"}


# --- bad input -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (["--stack", "dev;rm", "--for", "karpenter", "--outputs", "x.json"], "is not a Pulumi stack name"),
    (["--stack", "dev", "--for", "karpenter", "--outputs", "/nonexistent/outputs.json"], "No such file"),
])
def test_bad_stack_or_missing_file_is_one_line(args, expected):
    done = consume(*args)
    assert done.returncode == 2 and expected in done.stderr and done.stderr.count("\n") == 1, done.stderr


def test_outputs_without_consumers_name_what_to_do(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"vpcId": "vpc-1"}))
    done = consume("--stack", "old", "--for", "karpenter", "--outputs", str(path))
    assert done.returncode == 2 and done.stderr == (
        "consume: stack old has no amiConsumers output (outputs: vpcId); run `make up STACK=old` with this version "
        "first\n")


def fake_pulumi(bin_dir: Path, script: str) -> dict[str, str]:
    bin_dir.mkdir()
    pulumi_cli = bin_dir / "pulumi"
    pulumi_cli.write_text("#!/bin/sh\n" + script)
    pulumi_cli.chmod(pulumi_cli.stat().st_mode | stat.S_IEXEC)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PULUMI_BACKEND_URL": "file:///tmp/x"}


def test_reads_the_outputs_through_the_pulumi_cli(tmp_path, outputs_file):
    env = fake_pulumi(tmp_path / "bin", f'[ "$*" = "stack output --json --stack dev" ] || exit 9\n'
                                        f'cat "{outputs_file}"\n')
    done = consume("--stack", "dev", "--for", "terraform", env=env)
    assert done.returncode == 0, done.stderr
    assert "hardened_eks_amis" in json.loads(done.stdout)["locals"]


def test_a_stack_pulumi_does_not_know_is_one_line(tmp_path):
    env = fake_pulumi(tmp_path / "bin", "echo 'error: no stack named '\"'\"'nope'\"'\"' found' >&2\nexit 255\n")
    done = consume("--stack", "nope", "--for", "karpenter", env=env)
    assert done.returncode == 2
    assert done.stderr == "consume: `pulumi stack output --stack nope` failed: error: no stack named 'nope' found\n"


def test_amazon_linux_2_gets_bootstrap_sh_in_a_launch_template_and_nothing_extra_for_karpenter(tmp_path):
    mocks = run_stack({"kubernetesVersion": "1.32", "patterns": [{"pattern": "eks-optimized-al2", "levels": [1]}]})
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(mocks.exports, default=str))
    done = consume("--stack", "dev", "--for", "launch-template", "--outputs", str(outputs), *CLUSTER_FLAGS)
    assert done.returncode == 0, done.stderr
    request = json.loads(done.stdout)
    (part,) = email.message_from_string(base64.b64decode(request["LaunchTemplateData"]["UserData"]).decode()
                                        ).get_payload()
    script = part.get_payload()
    assert part.get_content_type() == "text/x-shellscript"
    assert "/etc/eks/bootstrap.sh prod --apiserver-endpoint https://ABC.gr7.us-west-2.eks.amazonaws.com" in script
    assert "--dns-cluster-ip 10.100.0.10" in script  # the tenth address of --service-cidr
    done = consume("--stack", "dev", "--for", "karpenter", "--outputs", str(outputs))
    (document,) = [d for d in yaml.safe_load_all(done.stdout) if d]
    jsonschema.validate(document, crd_schema())
    check_cel(document)
    assert document["spec"]["amiFamily"] == "AL2" and "userData" not in document["spec"]


@pytest.mark.parametrize("flags, expected", [
    (["--vpc-cidr", "10.0.0.300/16"], "--vpc-cidr '10.0.0.300/16' is not an IPv4 CIDR"),
    (["--vpc-cidr", "10.42.0.0/16", "--service-cidr", "fd00::/108"], "does not match IP family ipv4"),
    (["--vpc-cidr", "10.42.0.0/16", "--api-server-endpoint", "http://plain"], "is not an https:// URL"),
])
def test_bad_cluster_facts_are_one_line(outputs_file, flags, expected):
    base = dict(zip(CLUSTER_FLAGS[::2], CLUSTER_FLAGS[1::2], strict=True))
    base.update(dict(zip(flags[::2], flags[1::2], strict=True)))
    done = consume("--stack", "dev", "--for", "launch-template", "--outputs", str(outputs_file),
                   *[part for pair in base.items() for part in pair])
    assert done.returncode == 2 and expected in done.stderr and done.stderr.count("\n") == 1, done.stderr
