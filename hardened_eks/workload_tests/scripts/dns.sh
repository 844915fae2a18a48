#!/bin/sh
# Resolve one name. Allowed: an address came back. Refused: NXDOMAIN (the name provably does not
# exist). Anything else (timeout, no server) is no verdict: a DNS outage must not pass a deny test.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

name=$1

lookup() {
    answer=$(nslookup "$name" 2>&1) && status=0 || status=$?
    if printf '%s\n' "$answer" | grep -q 'NXDOMAIN'; then
        DETAIL="$name: NXDOMAIN"
        return 1
    fi
    addresses=$(printf '%s\n' "$answer" | sed -n '/^Name:/,$ s/^Address:[[:space:]]*//p' | tr '\n' ' ')
    if [ "$status" -eq 0 ] && [ -n "$addresses" ]; then
        DETAIL="$name resolved to $addresses"
        return 0
    fi
    DETAIL="$name: no answer (nslookup exit $status): $answer"
    return 2
}

run_check lookup
