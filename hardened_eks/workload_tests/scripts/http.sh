#!/bin/sh
# One HTTP GET. Allowed: the sample web answered with its marker. Refused: no answer within the
# timeout, which is how a NetworkPolicy drop looks. An actively refused connection or an unresolved
# name means the target is not ready yet: no verdict, so a deny test cannot pass on a missing target.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

url=$1
marker="hardened-eks-sample-web"

fetch() {
    body=$(curl -sS --connect-timeout 5 --max-time 8 -w '\nremote=%{remote_ip}' "$url" 2>&1) && status=0 || status=$?
    case $status in
        0)
            if printf '%s' "$body" | grep -q "$marker"; then
                DETAIL="GET $url answered by $(printf '%s' "$body" | sed -n 's/^remote=//p')"
                return 0
            fi
            DETAIL="GET $url answered without the sample marker: $(printf '%s' "$body" | head -c 120)"
            return 2
            ;;
        28)
            DETAIL="GET $url: no answer within the timeout (dropped)"
            return 1
            ;;
        *)
            DETAIL="GET $url: curl exit $status (target not ready?): $(printf '%s' "$body" | head -c 160)"
            return 2
            ;;
    esac
}

run_check fetch
