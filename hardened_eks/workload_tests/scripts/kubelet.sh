#!/bin/sh
# logs | exec against a sample agent pod of this node group. The API server forwards both to the
# node's kubelet on port 10250, which is what a hardened host firewall tends to break. Refused
# means the API server said 403; a kubelet that cannot be reached is a failure of the allow test
# and never a pass of the deny test.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

action=$1
api="https://kubernetes.default.svc"
account=/var/run/secrets/kubernetes.io/serviceaccount
marker="hardened-eks-exec-ok"

api_get() {
    curl -sS --max-time 15 --cacert "$account/ca.crt" -H "Authorization: Bearer $(cat "$account/token")" "$@"
}

target_pod() {
    api_get "$api/api/v1/namespaces/$(cat "$account/namespace")/pods?labelSelector=app%3Dsample-agent&fieldSelector=status.phase%3DRunning" \
        | grep -o '"name":"sample-agent-[a-z0-9-]*"' | head -n 1 | cut -d'"' -f4
}

classify() {  # http code, body
    case $1 in
        403) DETAIL="$action refused by the API server (403)"; return 1 ;;
        *) DETAIL="$action answered HTTP $1: $(printf '%s' "$2" | tr -cd '[:print:]' | head -c 200)"; return 2 ;;
    esac
}

kubelet_call() {
    if [ ! -r "$account/token" ]; then
        DETAIL="no service account token mounted"
        return 2
    fi
    pod=$(target_pod) || true
    if [ -z "$pod" ]; then
        DETAIL="no running sample-agent pod found yet"
        return 2
    fi
    path="api/v1/namespaces/$(cat "$account/namespace")/pods/$pod"
    if [ "$action" = logs ]; then
        body=$(api_get -w '\nhttp=%{http_code}' "$api/$path/log?tailLines=3" 2>&1) || true
        code=$(printf '%s' "$body" | sed -n 's/^http=//p')
        if [ "$code" = 200 ] && printf '%s' "$body" | grep -q 'hardened-eks sample agent'; then
            DETAIL="read logs of $pod through its kubelet"
            return 0
        fi
    else
        # The exec subresource over WebSocket (channel protocol v4): stdout frames carry the marker.
        body=$(api_get -w '\nhttp=%{http_code}' -H 'Sec-WebSocket-Protocol: v4.channel.k8s.io' \
            "wss://kubernetes.default.svc/$path/exec?container=agent&command=echo&command=$marker&stdout=true" 2>&1) || true
        code=$(printf '%s' "$body" | sed -n 's/^http=//p')
        if printf '%s' "$body" | grep -q "$marker"; then
            DETAIL="exec in $pod through its kubelet printed the marker"
            return 0
        fi
    fi
    classify "$code" "$body"
}

case $action in
    logs | exec) run_check kubelet_call ;;
    *) report inconclusive "unknown action '$action' (logs | exec)" ;;
esac
