# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# sshd configuration, read as sshd reads it and written where sshd reads it first. Used by the sshd_option
# family and by the sshd controls of every benchmark.
#
# Two layouts (HE_SSHD_LAYOUT):
# - dropin (OpenSSH 8.2+, Amazon Linux 2023): sshd_config with its Include directives expanded in place (globs
#   sorted, relative paths under /etc/ssh, a Match block ends at the end of its file); our settings go into a
#   drop-in that sorts first, included at the top of sshd_config.
# - single (OpenSSH 7.4, Amazon Linux 2): no Include (7.4 rejects the keyword), so our settings go into a
#   managed block at the top of sshd_config itself.
# Either way the first value of a keyword wins, the compiled-in default applies when nothing sets it, and every
# Match block that sets the keyword must comply too (it applies to some connections).

HE_SSHD_LAYOUT=dropin
HE_SSHD_CONFIG=/etc/ssh/sshd_config
HE_SSHD_DROPIN=/etc/ssh/sshd_config.d/00-cis-hardening.conf
HE_SSHD_HEADER="# CIS hardening (managed by cis-harden.sh): first value wins, so these settings come first."
# Compiled-in defaults of the keywords CIS looks at (sshd -T on a configuration without them); the same in
# OpenSSH 7.4 and 8.7. A benchmark adds what differs by version (Ciphers, KexAlgorithms, MACs).
declare -A HE_SSHD_DEFAULT=([loglevel]=INFO [usepam]=no [permitrootlogin]=prohibit-password
  [hostbasedauthentication]=no [permitemptypasswords]=no [permituserenvironment]=no [ignorerhosts]=yes
  [x11forwarding]=no [allowtcpforwarding]=yes [banner]=none [maxauthtries]=6 [maxstartups]=10:30:100
  [maxsessions]=10 [logingracetime]=120 [clientaliveinterval]=0 [clientalivecountmax]=3
  [disableforwarding]=no [gssapiauthentication]=no)

# he_sshd_entries [FILE CONTEXT DEPTH]: one line per directive in the order sshd reads them:
# "<context>\t<keyword, lower case>\t<value>\t<file>:<line>"; context is "global" or "match <criteria>".
he_sshd_entries() {
  local path=${1:-$HE_SSHD_CONFIG} ctx=${2:-global} depth=${3:-0} real kind a b loc pattern f
  [[ $depth -lt 8 ]] || return 0
  he_resolve real "$path"
  [[ -f $real ]] || return 0
  while IFS=$'\t' read -r kind a b loc; do
    case $kind in
      M) if [[ ${a,,} == all ]]; then ctx=global; else ctx="match $a"; fi ;;
      I)
        for pattern in $a; do
          [[ $pattern == /* ]] || pattern=/etc/ssh/$pattern
          for f in $HE_ROOT$pattern; do
            [[ -e $f ]] && he_sshd_entries "${f#"$HE_ROOT"}" "$ctx" $((depth + 1))
          done
        done ;;
      K) printf '%s\t%s\t%s\t%s\n' "$ctx" "$a" "$b" "$loc" ;;
    esac
  done < <(gawk -v includes="$([[ $HE_SSHD_LAYOUT == dropin ]] && printf 1)" '
    { line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t\r]+$/, "", line) }
    line == "" || line ~ /^#/ { next }
    {
      sub(/[ \t]+#.*$/, "", line)
      kw = line; sub(/[ \t=].*$/, "", kw); kw = tolower(kw)
      v = substr(line, length(kw) + 1); sub(/^[ \t]*=?[ \t]*/, "", v); gsub(/"/, "", v)
      loc = FILENAME ":" FNR
      if (kw == "match") printf "M\t%s\t\t%s\n", v, loc
      else if (kw == "include" && includes) printf "I\t%s\t\t%s\n", v, loc
      else printf "K\t%s\t%s\t%s\n", kw, v, loc
    }' "$real")
  return 0
}

# he_sshd_algorithms VALUE DEFAULT: the algorithm list VALUE gives (a leading "+" appends to DEFAULT, "-"
# removes from it, "^" puts in front of it), one per line.
he_sshd_algorithms() {
  local value=$1 default=$2
  case $value in
    +*) value="$default,${value#+}" ;;
    ^*) value="${value#^},$default" ;;
    -*) value=$(gawk -v drop="${value#-}" -v RS=, -v ORS=, 'BEGIN { n = split(drop, d, ","); for (i = 1; i <= n; i++) gone[d[i]] = 1 }
          { sub(/\n$/, "") } !($0 in gone)' <<<"$default") ;;
  esac
  tr ',' '\n' <<<"$value" | gawk 'NF'
}

# he_sshd_rule_ok RULE VALUE [DEFAULT]
he_sshd_rule_ok() {
  local rule=$1 value=$2 default=${3:-} lo hi s r f
  case $rule in
    eq:*) [[ ${value,,} == "${rule#eq:}" ]] ;;
    in:*) [[ "|${rule#in:}|" == *"|${value^^}|"* ]] ;;
    le:*) [[ $value =~ ^[0-9]+$ ]] && ((value >= 1 && value <= ${rule#le:})) ;;
    range:*)
      lo=${rule#range:}; hi=${lo#*:}; lo=${lo%%:*}
      [[ $value =~ ^[0-9]+$ ]] && ((value >= lo && value <= hi)) ;;
    maxstartups:*)
      IFS=: read -r s r f <<<"$value"
      [[ -n $r ]] || { r=0; f=$s; }  # a single value is a hard limit
      local max_s max_r max_f
      IFS=: read -r max_s max_r max_f <<<"${rule#maxstartups:}"
      # CIS: none of start, rate, full above the benchmark's 10:30:60.
      [[ $s =~ ^[0-9]+$ && $r =~ ^[0-9]+$ && $f =~ ^[0-9]+$ ]] && ((s <= max_s && r <= max_r && f <= max_f)) ;;
    file) [[ ${value,,} != none && -n $value && -f $HE_ROOT$value ]] ;;
    weak:*)  # an algorithm list with none of the weak ones (and not empty)
      [[ -n $value ]] || return 1
      ! he_sshd_algorithms "$value" "$default" | gawk -v weak="${rule#weak:}" '
        BEGIN { n = split(tolower(weak), w, ","); for (i = 1; i <= n; i++) bad[w[i]] = 1 }
        tolower($0) in bad { found = 1 } END { exit !found }' ;;
    *) printf '%s: unknown sshd rule %s\n' "$HE_CURRENT" "$rule" >&2; return 2 ;;
  esac
}

# he_sshd_check KEYWORD RULE: sets HE_SSHD_BAD (array of "where: value" that do not comply), HE_SSHD_BAD_LOC
# (their file:line) and HE_SSHD_EFFECTIVE (the global value and where it comes from).
he_sshd_check() {
  local kw=${1,,} rule=$2 ctx k v loc global="" global_loc="" default
  default=${HE_SSHD_DEFAULT[$kw]:-}
  HE_SSHD_BAD=()
  HE_SSHD_BAD_LOC=()
  while IFS=$'\t' read -r ctx k v loc; do
    [[ $k == "$kw" ]] || continue
    if [[ $ctx == global ]]; then
      [[ -z $global_loc ]] || continue  # first value wins
      global=$v
      global_loc=$loc
      he_sshd_rule_ok "$rule" "$v" "$default" || { HE_SSHD_BAD+=("$1 $v at $(he_rel "$loc")"); HE_SSHD_BAD_LOC+=("$loc"); }
    elif ! he_sshd_rule_ok "$rule" "$v" "$default"; then
      HE_SSHD_BAD+=("$1 $v in '$ctx' at $(he_rel "$loc")")
      HE_SSHD_BAD_LOC+=("$loc")
    fi
  done < <(he_sshd_entries)
  if [[ -z $global_loc ]]; then
    HE_SSHD_EFFECTIVE="$1 ${default:-unset} (compiled-in default)"
    he_sshd_rule_ok "$rule" "$default" "$default" || HE_SSHD_BAD+=("$1 is not set; the default ${default:-(none)} does not comply")
  else
    HE_SSHD_EFFECTIVE="$1 $global ($(he_rel "$global_loc"))"
  fi
}

# he_sshd_set KEYWORD VALUE: KEYWORD VALUE is the first thing sshd reads: in the drop-in that sorts first (and
# sshd_config includes it first), or in the managed block at the top of sshd_config (single layout).
he_sshd_set() {
  local main
  he_resolve main "$HE_SSHD_CONFIG"
  if [[ $HE_SSHD_LAYOUT == single ]]; then
    # The block: our header on line 1, then settings up to the first blank line.
    HE_NEW_MODE=0600 he_edit_file "$(he_rel "$main")" -v key="$1" -v val="$2" -v head="$HE_SSHD_HEADER" '
      FNR == 1 && $0 != head { print head; print key " " val; print ""; done = 1 }
      FNR == 1 && $0 == head { block = 1; print; next }
      block && !/^[A-Za-z]/ { if (!done) print key " " val; done = 1; block = 0 }
      block { k = $1; sub(/=.*/, "", k); if (tolower(k) == tolower(key)) { if (!done) print key " " val; done = 1; next } }
      { print }
      END { if (NR == 0) print head; if (!done) print key " " val }'
    return 0
  fi
  HE_NEW_MODE=0600 he_edit_file "$HE_SSHD_DROPIN" -v key="$1" -v val="$2" -v head="$HE_SSHD_HEADER" '
    NR == 1 && FNR == 1 && $0 !~ /^#/ { print head }
    { k = $1; sub(/=.*/, "", k) }
    tolower(k) == tolower(key) { if (!done) print key " " val; done = 1; next }
    { print }
    END {
      if (NR == 0) print head
      if (!done) print key " " val
    }'
  chmod 0600 -- "$HE_ROOT$HE_SSHD_DROPIN"
  if ! gawk '/^[ \t]*[Ii]nclude[ \t]+(\/etc\/ssh\/)?sshd_config\.d\/\*\.conf[ \t]*$/ { f = 1 } END { exit !f }' "$main" 2>/dev/null
  then
    HE_NEW_MODE=0600 he_edit_file "$(he_rel "$main")" '
      !done && !/^[ \t]*(#|$)/ { print "Include /etc/ssh/sshd_config.d/*.conf"; done = 1 }
      { print }
      END { if (!done) print "Include /etc/ssh/sshd_config.d/*.conf" }'
  fi
}

# he_sshd_fix KEYWORD RULE FIX
he_sshd_fix() {
  local kw=$1 rule=$2 fix=$3 loc
  he_sshd_set "$kw" "$fix"
  for _ in 1 2 3 4 5 6 7 8; do
    he_sshd_check "$kw" "$rule"
    [[ ${#HE_SSHD_BAD_LOC[@]} -gt 0 ]] || break
    for loc in "${HE_SSHD_BAD_LOC[@]}"; do
      # Later lines first would shift nothing: neutralizing keeps line numbers.
      he_neutralize_line "${loc%:*}" "${loc##*:}" /etc/ssh/sshd_config.d
    done
  done
}

# After a change on a running system: validate, then reload a running sshd.
he_sshd_reload() {
  he_live || return 0
  if command -v sshd >/dev/null 2>&1; then sshd -t; fi
  if systemctl is-active -q sshd.service 2>/dev/null; then systemctl reload sshd.service; fi
}

# he_sshd_access MODE GROUPS: a global AllowUsers/AllowGroups/DenyUsers/DenyGroups limits who may log in;
# apply allows GROUPS (on EKS AMIs ec2-user is in wheel; Session Manager does not use sshd).
he_sshd_access() {
  local mode=$1 groups=$2 ctx k v loc access=""
  while IFS=$'\t' read -r ctx k v loc; do
    [[ $ctx == global ]] || continue
    case $k in allowusers | allowgroups | denyusers | denygroups)
      access+="${access:+; }$k $v ($(he_rel "$loc"))" ;;
    esac
  done < <(he_sshd_entries)
  if [[ $mode == audit ]]; then
    if [[ -n $access ]]; then he_pass "$access"; else he_fail "no AllowUsers, AllowGroups, DenyUsers or DenyGroups"; fi
    return 0
  fi
  he_sshd_set AllowGroups "$groups"
  he_sshd_reload
}

# he_sshd_client_alive MODE: idle sessions end: ClientAliveInterval 1..900 and ClientAliveCountMax 1..3.
he_sshd_client_alive() {
  local mode=$1 bad=() ok=()
  he_sshd_check ClientAliveInterval range:1:900
  bad+=("${HE_SSHD_BAD[@]}")
  ok+=("$HE_SSHD_EFFECTIVE")
  he_sshd_check ClientAliveCountMax range:1:3
  bad+=("${HE_SSHD_BAD[@]}")
  ok+=("$HE_SSHD_EFFECTIVE")
  if [[ $mode == audit ]]; then
    he_report_bad "${ok[*]}"
    return 0
  fi
  he_sshd_fix ClientAliveInterval range:1:900 15
  he_sshd_fix ClientAliveCountMax range:1:3 3
  he_sshd_reload
}
