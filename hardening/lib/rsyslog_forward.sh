# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016,SC2034  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# rsyslog forwarding to the site's log host ("rsyslog sends logs to a remote log host": 5.1.1.6 of AL2023 and
# AL2). One reader and one writer for both benchmarks; each benchmark's control reads its own view of the
# configuration (files and includes in rsyslog's order) and restarts rsyslog its own way.

HE_SETTING_DOC[remote-log-host]="HOST[:PORT] of the site's syslog collector that rsyslog forwards to over TCP (5.1.1.6)"
HE_SETTING_PATTERN[remote-log-host]='^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$'
HE_RSYSLOG_FORWARD_CONF=/etc/rsyslog.d/90-cis-remote-log-host.conf

# he_rsyslog_forward_found: reads "<location>\t<text>" lines of the effective configuration on stdin (physical
# lines or whole statements) and prints "<location> -> <target>" of the first forwarding action: legacy
# `@host`/`@@host`, or action(type="omfwd" target=...). RainerScript statements spread over several lines
# are joined first, so a target on a later line than `action(` still counts. All input is read (no early exit), so
# the writer of a pipeline never dies of SIGPIPE under pipefail.
he_rsyslog_forward_found() {
  gawk -F '\t' '
    found { next }
    function depth(s,   t) { t = s; gsub(/"[^"]*"/, "", t); gsub(/\047[^\047]*\047/, "", t); return gsub(/\(/, "(", t) - gsub(/\)/, ")", t) }
    {
      text = $0; sub(/^[^\t]*\t/, "", text)
      if (open <= 0) { loc = $1; stmt = text; open = 0 } else stmt = stmt " " text
      open += depth(text)
      if (open > 0) next
      s = stmt; sub(/^[ \t]+/, "", s)
      if (s ~ /^\$/) next
      if (s ~ /action[ \t]*\(/ && s ~ /type[ \t]*=[ \t]*"omfwd"/ && match(s, /target[ \t]*=[ \t]*"([^"]+)"/, m)) { print loc " -> " m[1]; found = 1; next }
      n = split(s, t, /[ \t]+/)
      if (t[n] ~ /^@@?[^ \t@]/ && t[1] !~ /^(module|input|global|template)\(/) { print loc " -> " t[n]; found = 1 }
    }'
}

# he_rsyslog_forward_write: writes the forwarding action for `apply --set remote-log-host=HOST[:PORT]` (TCP,
# port 514 unless given), with a disk-assisted queue so messages wait for the host instead of being lost.
# Without the setting the control is an error and apply ends with exit 2 after the summary: a missing site
# value is a configuration error, not a control that still fails.
he_rsyslog_forward_write() {
  local target=${HE_SETTINGS[remote-log-host]:-} host="" port=""
  [[ -n $target ]] ||
    he_usage_error "$HE_CURRENT: no remote log host: pass apply --set remote-log-host=HOST[:PORT], or exclude $HE_CURRENT"
  # HOST[:PORT] or [IPV6][:PORT]; HE_SETTING_PATTERN was checked when the option was parsed.
  if [[ $target =~ ^\[(.*)\](:([0-9]+))?$ || $target =~ ^([^:]+)(:([0-9]+))?$ ]]; then
    host=${BASH_REMATCH[1]}
    port=${BASH_REMATCH[3]:-514}
  fi
  [[ -n $host ]] || he_die "$HE_CURRENT: remote-log-host '$target' names no host"
  he_write_file "$HE_RSYSLOG_FORWARD_CONF" "# CIS ${HE_CURRENT}: forward every message to the site's log host (disk-assisted queue, retried)
*.* action(type=\"omfwd\" target=\"$host\" port=\"$port\" protocol=\"tcp\"
           action.resumeRetryCount=\"100\" queue.type=\"LinkedList\" queue.size=\"1000\"
           queue.filename=\"fwd-remote\" queue.saveOnShutdown=\"on\")"
}
