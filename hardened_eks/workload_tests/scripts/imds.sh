#!/bin/sh
# Ask IMDS for a v2 session token, as any SDK would. With the hop limit at 1 the answer never
# reaches a pod, so the node role's credentials cannot be taken from a pod. The test pod's
# NetworkPolicy allows this traffic, so a refusal here is the node's doing, not ours.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

token_request() {
    token=$(curl -sS --connect-timeout 3 --max-time 5 -X PUT \
        -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token 2>&1) && status=0 || status=$?
    if [ "$status" -eq 0 ] && [ -n "$token" ]; then
        DETAIL="a pod obtained an IMDSv2 token: node credentials are reachable from pods"
        return 0
    fi
    DETAIL="no IMDSv2 token for a pod (curl exit $status)"
    return 1
}

run_check token_request
