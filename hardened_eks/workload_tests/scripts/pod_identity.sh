#!/bin/sh
# Fetch credentials the way AWS SDKs do under EKS Pod Identity: the webhook injects the agent's URL
# and a token file only for service accounts with an association. Never prints the credentials.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

fetch_credentials() {
    uri=${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}
    token_file=${AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE:-}
    if [ -z "$uri" ] || [ -z "$token_file" ]; then
        DETAIL="no Pod Identity credentials injected (service account ${SERVICE_ACCOUNT:-?} has no association)"
        return 1
    fi
    body=$(curl -sS --connect-timeout 3 --max-time 8 -H "Authorization: $(cat "$token_file")" "$uri" 2>&1) \
        && status=0 || status=$?
    if [ "$status" -eq 0 ] && printf '%s' "$body" | grep -q '"AccessKeyId"'; then
        expiry=$(printf '%s' "$body" | sed -n 's/.*"Expiration" *: *"\([^"]*\)".*/\1/p')
        DETAIL="credentials for the associated role from the Pod Identity agent at $uri (expire $expiry)"
        return 0
    fi
    DETAIL="the Pod Identity agent at $uri gave no credentials (curl exit $status): $(printf '%s' "$body" | head -c 160)"
    return 2
}

run_check fetch_credentials
