"""Stubbed AWS clients (botocore Stubber checks every request and response against the service model)
and realistic response bodies for Inspector and EC2."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import botocore.session
import pytest
from botocore.stub import Stubber

from hardened_eks import tags

ACCOUNT = "123456789012"
REGION = "us-west-2"
CONFIG_ARN = (f"arn:aws:inspector2:{REGION}:{ACCOUNT}:owner/{ACCOUNT}/cis-configuration/"
              "0d3c1f2a-5b6e-4c7d-8e9f-0a1b2c3d4e5f")
SCAN_ARN = f"arn:aws:inspector2:{REGION}:{ACCOUNT}:owner/{ACCOUNT}/cis-scan/624b746d-e080-44ae-8c1d-48e653365a38"
AMI_AL2023_L1 = "ami-0a1b2c3d4e5f60718"
AMI_BOTTLEROCKET_L1 = "ami-0f9e8d7c6b5a49382"


def make_client(service: str):
    session = botocore.session.get_session()
    return session.create_client(service, region_name=REGION, aws_access_key_id="AKIDEXAMPLE",
                                 aws_secret_access_key="not-a-real-secret")


@pytest.fixture
def inspector():
    client = make_client("inspector2")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def ec2():
    client = make_client("ec2")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def instance(instance_id: str, pattern: str, level: int, ami: str, stack: str = "test") -> dict:
    return {
        "InstanceId": instance_id, "ImageId": ami, "InstanceType": "m6i.large",
        "State": {"Code": 16, "Name": "running"}, "PrivateIpAddress": "10.0.12.34",
        "Tags": [{"Key": tags.STACK, "Value": stack}, {"Key": tags.PATTERN, "Value": pattern},
                 {"Key": tags.LEVEL, "Value": str(level)}, {"Key": tags.SCAN, "Value": f"{stack}-level{level}"},
                 {"Key": "eks:nodegroup-name", "Value": f"{pattern}-l{level}"}],
    }


def describe_instances_request(stack: str = "test") -> dict:
    return {"Filters": [{"Name": f"tag:{tags.STACK}", "Values": [stack]},
                        {"Name": "instance-state-name", "Values": ["running"]}]}


def scan(status: str, started: datetime | None = None) -> dict:
    body = {"scanArn": SCAN_ARN, "scanConfigurationArn": CONFIG_ARN, "status": status,
            "scanName": "hardened-eks-test-level1", "scanDate": started or datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
            "securityLevel": "LEVEL_1", "scheduledBy": f"arn:aws:iam::{ACCOUNT}:role/pipeline",
            "targets": {"accountIds": [ACCOUNT], "targetResourceTags": {tags.SCAN: ["test-level1"]}}}
    if status == "COMPLETED":
        body.update(failedChecks=2, totalChecks=180)
    return body


def list_cis_scans_request() -> dict:
    return {"filterCriteria": {"scanConfigurationArnFilters": [{"comparison": "EQUALS", "value": CONFIG_ARN}]},
            "sortBy": "SCAN_START_DATE", "sortOrder": "DESC"}


def target_aggregation(instance_id: str, passed: int, failed: int, skipped: int, status: str = "COMPLETED",
                       reason: str | None = None) -> dict:
    body = {"scanArn": SCAN_ARN, "targetResourceId": instance_id, "accountId": ACCOUNT,
            "targetResourceTags": {tags.SCAN: ["test-level1"]},
            "statusCounts": {"passed": passed, "failed": failed, "skipped": skipped},
            "platform": "AMAZON_LINUX_2023", "targetStatus": status}
    if reason:
        body["targetStatusReason"] = reason
    return body


def check(instance_id: str, check_id: str, title: str, status: str) -> dict:
    return {"scanArn": SCAN_ARN, "accountId": ACCOUNT, "targetResourceId": instance_id,
            "platform": "AMAZON_LINUX_2023", "status": status, "checkId": check_id, "title": title,
            "level": "LEVEL_1",
            "findingArn": f"arn:aws:inspector2:{REGION}:{ACCOUNT}:owner/{ACCOUNT}/cis-finding/"
                          "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"}


def finding(instance_id: str, cve: str, severity: str, *, published: datetime | None, fix: str = "YES",
            first_observed: datetime = datetime(2026, 11, 2, 9, 30, tzinfo=UTC), score: float | None = 7.5,
            ami: str = AMI_AL2023_L1) -> dict:
    details = {"vulnerabilityId": cve, "source": "AMAZON_CVE", "sourceUrl": f"https://alas.aws.amazon.com/cve/html/{cve}.html",
               "vendorSeverity": "Important",
               "cvss": [{"baseScore": 7.8, "scoringVector": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
                         "version": "3.1", "source": "NVD"},
                        {"baseScore": 6.9, "scoringVector": "AV:L/AC:M/Au:N/C:C/I:C/A:C", "version": "2.0",
                         "source": "NVD"}],
               "vulnerablePackages": [{"name": "kernel", "version": "6.1.134", "release": "152.225.amzn2023",
                                       "arch": "X86_64", "packageManager": "OS", "epoch": 0,
                                       "fixedInVersion": "0:6.1.141-155.222.amzn2023"}]}
    if published:
        details["vendorCreatedAt"] = published
    body = {
        "findingArn": f"arn:aws:inspector2:{REGION}:{ACCOUNT}:finding/"
                      + hashlib.sha256(f"{instance_id}/{cve}".encode()).hexdigest()[:32],
        "awsAccountId": ACCOUNT, "type": "PACKAGE_VULNERABILITY", "description": f"{cve} in kernel",
        "title": f"{cve} - kernel", "remediation": {"recommendation": {"text": "Update kernel"}},
        "severity": severity, "firstObservedAt": first_observed, "lastObservedAt": first_observed,
        "status": "ACTIVE", "fixAvailable": fix, "packageVulnerabilityDetails": details,
        "resources": [{"type": "AWS_EC2_INSTANCE", "id": instance_id, "partition": "aws", "region": REGION,
                       "details": {"awsEc2Instance": {"type": "m6i.large", "imageId": ami, "platform": "AMAZON_LINUX_2023"}}}],
    }
    if score is not None:
        body["inspectorScore"] = score
    return body


def findings_request(instance_ids: list[str]) -> dict:
    return {"filterCriteria": {"findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}],
                               "findingType": [{"comparison": "EQUALS", "value": "PACKAGE_VULNERABILITY"}],
                               "resourceType": [{"comparison": "EQUALS", "value": "AWS_EC2_INSTANCE"}],
                               "resourceId": [{"comparison": "EQUALS", "value": i} for i in instance_ids]},
            "maxResults": 100}
