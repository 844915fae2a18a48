"""Add-ons under mocks: the four this component owns, versions for the cluster's Kubernetes
version, EBS CSI through Pod Identity, an encrypted gp3 StorageClass."""

from __future__ import annotations

import json

import pulumi
import pulumi_kubernetes as k8s
import pytest

from components.addons import ADDONS, CLUSTER_OWNED_ADDONS, Addons, AddonsArgs
from hardened_eks.mocks import run_with_mocks

KEY = "arn:aws:kms:us-west-2:123456789012:key/0000-1111"


def run(kms_key_arn=KEY, version="1.32"):
    def program():
        provider = k8s.Provider("k8s", kubeconfig="{}")
        nodes = pulumi.CustomResource("test:index:NodeGroup", "nodes", {})
        addons = Addons("addons", AddonsArgs(cluster_name="hardened", kubernetes_version=version,
                                             k8s_provider=provider, kms_key_arn=kms_key_arn, depends_on=[nodes],
                                             tags={"managed-by": "hardened-eks"}))
        pulumi.export("versions", addons.versions)
        pulumi.export("storageClass", addons.storage_class_name)

    return run_with_mocks(program, {"aws:region": "us-west-2"})


@pytest.fixture(scope="module")
def mocks():
    return run()


def test_creates_exactly_its_own_addons(mocks):
    created = sorted(r.inputs["addonName"] for r in mocks.of_type("aws:eks/addon:Addon"))
    assert created == sorted(ADDONS)
    assert not set(created) & set(CLUSTER_OWNED_ADDONS)  # one owner per add-on
    for addon in mocks.of_type("aws:eks/addon:Addon"):
        assert addon.inputs["clusterName"] == "hardened" and addon.parent == "addons"
        assert addon.inputs["addonVersion"] == "v1.0.0-eksbuild.1"
        assert addon.inputs["resolveConflictsOnCreate"] == "OVERWRITE"


def test_versions_are_resolved_for_the_cluster_version(mocks):
    lookups = [i for token, i in mocks.invokes if token == "aws:eks/getAddonVersion:getAddonVersion"]
    assert sorted(i["addonName"] for i in lookups) == sorted(ADDONS)
    assert {i["kubernetesVersion"] for i in lookups} == {"1.32"}
    assert not any(i.get("mostRecent") for i in lookups)  # EKS's default: stable between runs
    assert set(mocks.exports["versions"]) == set(ADDONS)


def test_ebs_csi_driver_gets_permissions_through_pod_identity(mocks):
    association = mocks.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")[0]
    assert (association.inputs["namespace"], association.inputs["serviceAccount"]) == ("kube-system",
                                                                                         "ebs-csi-controller-sa")
    role = next(r for r in mocks.of_type("aws:iam/role:Role") if r.name == "addons-ebs-csi")
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert sorted(trust["Action"]) == ["sts:AssumeRole", "sts:TagSession"]
    attachment = mocks.named("addons-ebs-csi-managed")
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
    kms = json.loads(mocks.named("addons-ebs-csi-kms").inputs["policy"])
    assert {s["Resource"] for s in kms["Statement"]} == {KEY}
    ebs = next(r for r in mocks.of_type("aws:eks/addon:Addon") if r.inputs["addonName"] == "aws-ebs-csi-driver")
    assert "serviceAccountRoleArn" not in ebs.inputs  # not IRSA: Pod Identity only


def test_gp3_storage_class_is_encrypted_with_the_stack_key(mocks):
    storage_class = mocks.of_type("kubernetes:storage.k8s.io/v1:StorageClass")[0]
    assert storage_class.inputs["provisioner"] == "ebs.csi.aws.com"
    assert storage_class.inputs["parameters"] == {"type": "gp3", "encrypted": "true", "kmsKeyId": KEY,
                                                  "csi.storage.k8s.io/fstype": "ext4"}
    assert storage_class.inputs["volumeBindingMode"] == "WaitForFirstConsumer"
    assert mocks.exports["storageClass"] == "hardened-eks-gp3"


def test_without_a_customer_key_volumes_are_still_encrypted():
    mocks = run(kms_key_arn=None)
    parameters = mocks.of_type("kubernetes:storage.k8s.io/v1:StorageClass")[0].inputs["parameters"]
    assert parameters["encrypted"] == "true" and "kmsKeyId" not in parameters
    assert not [r for r in mocks.resources if r.name == "addons-ebs-csi-kms"]
