# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: auditd_conf
# args: key rule fix
# A setting of /etc/audit/auditd.conf read as auditd reads it: each line is `name = value [option]` with blanks
# around "=", names and values are case-insensitive, the last assignment wins, and a malformed line (for
# example `name=value`) makes auditd refuse the whole file. RULE: `in:a|b|c` (one of the values) or `uint`
# (a positive integer). Apply keeps one `KEY = FIX` line where the first assignment was (or appends it).

HE_AUDITD_CONF=/etc/audit/auditd.conf
declare -A HE_AUDITD_VALUES=()  # lowercase key -> "<value>\037<file:line>" of its last assignment

# he_auditd_conf_value VAR KEY: VAR becomes the effective value of KEY (lowercase; "" when unset).
# HE_AUDITD_LOC is its line ("file:line") and HE_AUDITD_MALFORMED the lines auditd would reject.
# One gawk reads every key (HE_CACHE: once per run).
he_auditd_conf_value() {
  local __out=$1 key=$2 file name rest
  HE_AUDITD_LOC=""
  HE_AUDITD_MALFORMED=""
  he_resolve file "$HE_AUDITD_CONF"
  if [[ ! -f $file ]]; then printf -v "$__out" '%s' ''; return 0; fi
  if [[ $HE_CACHE != 1 || -z ${HE_C_VAL[auditd-conf]+x} ]]; then
    HE_AUDITD_VALUES=()
    local parsed
    parsed=$(gawk -v src="$HE_AUDITD_CONF" '
      { line = $0; gsub(/^[ \t]+|[ \t\r]+$/, "", line); n = split(line, t, /[ \t]+/); i = 1 }
      i > n || t[i] ~ /^#/ { next }
      { name = t[i]; eq = t[i + 1]; val = t[i + 2] }
      eq != "=" || val == "" || n > i + 3 {
        bad = bad (bad == "" ? "" : ", ") FNR; next
      }
      { k = tolower(name); v = tolower(val); if (t[i + 3] != "") v = v " " t[i + 3]; value[k] = v; loc[k] = src ":" FNR }
      END { printf "%s", bad; for (k in value) printf "\n%s\t%s\037%s", k, value[k], loc[k] }' "$file")
    HE_C_VAL[auditd-malformed]=${parsed%%$'\n'*}
    if [[ $parsed == *$'\n'* ]]; then
      while IFS=$'\t' read -r name rest; do
        [[ -z $name ]] || HE_AUDITD_VALUES[$name]=$rest
      done <<<"${parsed#*$'\n'}"
    fi
    HE_C_VAL[auditd-conf]=1
  fi
  HE_AUDITD_MALFORMED=${HE_C_VAL[auditd-malformed]}
  rest=$'\037'
  [[ -z $key ]] || rest=${HE_AUDITD_VALUES[$key]:-$'\037'}
  HE_AUDITD_LOC=${rest#*$'\037'}
  printf -v "$__out" '%s' "${rest%%$'\037'*}"
}

# he_auditd_conf_set KEY VALUE: one `KEY = VALUE` line replaces every assignment of KEY (well formed or not).
he_auditd_conf_set() {
  local real
  he_resolve real "$HE_AUDITD_CONF"
  HE_NEW_MODE=0640 he_edit_file "${real#"$HE_ROOT"}" -v key="$1" -v val="$2" '
    { line = $0; sub(/^[ \t]+/, "", line); name = line; sub(/[ \t=].*/, "", name) }
    line !~ /^#/ && tolower(name) == key { if (!done) print key " = " val; done = 1; next }
    { print }
    END { if (!done) print key " = " val }'
}

# he_auditd_rule_ok VALUE RULE
he_auditd_rule_ok() {
  case $2 in
    uint) [[ $1 =~ ^[0-9]+$ && $1 -gt 0 ]] ;;
    in:*) [[ "|${2#in:}|" == *"|$1|"* ]] ;;
    *) printf 'internal error: unknown auditd_conf rule %s\n' "$2" >&2; return 2 ;;
  esac
}

# he_auditd_conf_needed: auditd.conf exists, else fail (audit) or defer/stop (apply). Returns 1 when missing.
he_auditd_conf_needed() {
  local file
  he_resolve file "$HE_AUDITD_CONF"
  [[ -f $file ]] && return 0
  if [[ $1 == audit ]]; then
    he_fail "$HE_AUDITD_CONF is missing (the audit package is not installed: 5.2.1.1)"
  elif he_live; then
    printf '%s: %s is missing: install the audit package (5.2.1.1)\n' "$HE_CURRENT" "$HE_AUDITD_CONF" >&2
    return 2
  else
    he_defer "$HE_AUDITD_CONF appears when the audit package is installed ($HE_PKG_TOOL on a running system, 5.2.1.1)"
  fi
  return 1
}

he_fam_auditd_conf() {
  local mode=$1 key=$2 rule=$3 fix=$4 value rc=0
  he_auditd_conf_needed "$mode" || rc=$?
  [[ $rc -eq 0 ]] || { [[ $rc -eq 1 ]] && return 0; return 1; }
  he_auditd_conf_value value "$key"
  if [[ $mode == audit ]]; then
    if [[ -n $HE_AUDITD_MALFORMED ]]; then
      he_fail "$HE_AUDITD_CONF line $HE_AUDITD_MALFORMED is not 'name = value': auditd rejects the file"
    elif [[ -z $value ]]; then
      he_fail "$key is not set in $HE_AUDITD_CONF"
    elif he_auditd_rule_ok "$value" "$rule"; then
      he_pass "$key = $value ($HE_AUDITD_LOC)"
    else
      he_fail "$key = $value at $HE_AUDITD_LOC (want ${rule#in:})"
    fi
    return 0
  fi
  if [[ -n $HE_AUDITD_MALFORMED ]]; then he_auditd_fix_malformed; fi
  he_auditd_conf_value value "$key"
  if [[ -z $value ]] || ! he_auditd_rule_ok "$value" "$rule"; then he_auditd_conf_set "$key" "$fix"; fi
  he_auditd_reload
}

# he_auditd_fix_malformed: rewrite `name=value` lines auditd rejects as `name = value`; comment out the rest.
he_auditd_fix_malformed() {
  local real
  he_resolve real "$HE_AUDITD_CONF"
  he_edit_file "${real#"$HE_ROOT"}" -v id="$HE_CURRENT" '
    { line = $0; gsub(/^[ \t]+|[ \t\r]+$/, "", line); n = split(line, t, /[ \t]+/); i = 1 }
    i > n || t[i] ~ /^#/ { print; next }
    t[i + 1] == "=" && t[i + 2] != "" && n <= i + 3 { print; next }
    match($0, /^[ \t]*([A-Za-z_]+)[ \t]*=[ \t]*([^ \t]+)([ \t]+([^ \t]+))?[ \t]*$/, m) {
      print m[1] " = " m[2] (m[4] != "" ? " " m[4] : ""); next }
    { print "# " $0 "  # malformed, disabled by CIS hardening " id }'
}

# he_auditd_reload: make auditd re-read its configuration on a running system.
he_auditd_reload() {
  if he_live && systemctl is-active --quiet auditd; then
    # auditd refuses systemctl stop (RefuseManualStop); SIGHUP makes it re-read auditd.conf.
    auditctl --signal reload >/dev/null 2>&1 || kill -HUP "$(cat /run/auditd.pid)"
  fi
}
