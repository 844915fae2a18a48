# shellcheck shell=sh
# Shared by every in-pod check. A check function prints nothing, sets DETAIL and returns
#   0  the action was allowed      1  the action was refused      2  no verdict yet (retry)
# run_check retries until the verdict is final or DEADLINE_SECONDS pass, prints ONE result line
# and exits 0 only when the outcome is what EXPECT (allow | deny) asks for, so a Job succeeds
# exactly when its test passes.

RESULT_PREFIX="hardened-eks-result"
DETAIL=""

report() {
    outcome=$1
    shift
    printf '%s outcome=%s node=%s time=%s detail=%s\n' "$RESULT_PREFIX" "$outcome" "${NODE_NAME:-unknown}" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(printf '%s' "$*" | tr '\n' ' ' | cut -c1-400)"
    case "${EXPECT:-}/$outcome" in
        allow/allowed | deny/refused) exit 0 ;;
        *) exit 1 ;;
    esac
}

run_check() {
    case "${EXPECT:-}" in
        allow | deny) ;;
        *) report inconclusive "EXPECT must be allow or deny, got '${EXPECT:-}'" ;;
    esac
    deadline=$(($(date +%s) + ${DEADLINE_SECONDS:-300}))
    while :; do
        verdict=0
        "$@" || verdict=$?
        # An allowed action is final either way; a refusal is final only for a deny test, because
        # an allow test may run before its target is ready.
        if [ "$verdict" -eq 0 ]; then
            report allowed "$DETAIL"
        elif [ "$verdict" -eq 1 ] && [ "$EXPECT" = deny ]; then
            report refused "$DETAIL"
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            if [ "$verdict" -eq 1 ] || [ "$EXPECT" = allow ]; then
                report refused "$DETAIL"
            fi
            report inconclusive "$DETAIL"
        fi
        sleep "${RETRY_SECONDS:-5}"
    done
}
