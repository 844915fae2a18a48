# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: sshd_option
# args: keyword rule fix
# An sshd setting, read as sshd reads it: /etc/ssh/sshd_config with its Include directives expanded in
# place (globs sorted, relative paths under /etc/ssh, a Match block ends at the end of its file), the first
# value of a keyword wins, and the compiled-in default applies when nothing sets it. Every Match block that
# sets the keyword must comply too (it applies to some connections). RULE is one of eq:V, in:A|B, le:N,
# range:A:B, maxstartups:S:R:F, file (a banner file that exists). Apply writes KEYWORD FIX into a drop-in that
# sorts first, makes sure the drop-ins are included at the top of sshd_config, and comments out any earlier
# global or Match-block value that does not comply.

HE_SSHD_CONFIG=/etc/ssh/sshd_config
HE_SSHD_DROPIN=/etc/ssh/sshd_config.d/00-cis-hardening.conf
# OpenSSH 8.7+ compiled-in defaults of the keywords CIS looks at (sshd -T on a configuration without them).
declare -A HE_SSHD_DEFAULT=([loglevel]=INFO [usepam]=no [permitrootlogin]=prohibit-password
  [hostbasedauthentication]=no [permitemptypasswords]=no [permituserenvironment]=no [ignorerhosts]=yes
  [x11forwarding]=no [allowtcpforwarding]=yes [banner]=none [maxauthtries]=6 [maxstartups]=10:30:100
  [maxsessions]=10 [logingracetime]=120 [clientaliveinterval]=0 [clientalivecountmax]=3)

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
  done < <(gawk '
    { line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t\r]+$/, "", line) }
    line == "" || line ~ /^#/ { next }
    {
      sub(/[ \t]+#.*$/, "", line)
      kw = line; sub(/[ \t=].*$/, "", kw); kw = tolower(kw)
      v = substr(line, length(kw) + 1); sub(/^[ \t]*=?[ \t]*/, "", v); gsub(/"/, "", v)
      loc = FILENAME ":" FNR
      if (kw == "match") printf "M\t%s\t\t%s\n", v, loc
      else if (kw == "include") printf "I\t%s\t\t%s\n", v, loc
      else printf "K\t%s\t%s\t%s\n", kw, v, loc
    }' "$real")
  return 0
}

# he_sshd_rule_ok RULE VALUE
he_sshd_rule_ok() {
  local rule=$1 value=$2 lo hi s r f
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
    *) printf '%s: unknown sshd rule %s\n' "$HE_CURRENT" "$rule" >&2; return 2 ;;
  esac
}

# he_sshd_check KEYWORD RULE: sets HE_SSHD_BAD (array of "where: value" that do not comply), HE_SSHD_BAD_LOC
# (their file:line) and HE_SSHD_EFFECTIVE (the global value and where it comes from).
he_sshd_check() {
  local kw=${1,,} rule=$2 ctx k v loc global="" global_loc=""
  HE_SSHD_BAD=()
  HE_SSHD_BAD_LOC=()
  while IFS=$'\t' read -r ctx k v loc; do
    [[ $k == "$kw" ]] || continue
    if [[ $ctx == global ]]; then
      [[ -z $global_loc ]] || continue  # first value wins
      global=$v
      global_loc=$loc
      he_sshd_rule_ok "$rule" "$v" || { HE_SSHD_BAD+=("$1 $v at $(he_rel "$loc")"); HE_SSHD_BAD_LOC+=("$loc"); }
    elif ! he_sshd_rule_ok "$rule" "$v"; then
      HE_SSHD_BAD+=("$1 $v in '$ctx' at $(he_rel "$loc")")
      HE_SSHD_BAD_LOC+=("$loc")
    fi
  done < <(he_sshd_entries)
  if [[ -z $global_loc ]]; then
    global=${HE_SSHD_DEFAULT[$kw]:-}
    HE_SSHD_EFFECTIVE="$1 ${global:-unset} (compiled-in default)"
    he_sshd_rule_ok "$rule" "$global" || HE_SSHD_BAD+=("$1 is not set; the default ${global:-(none)} does not comply")
  else
    HE_SSHD_EFFECTIVE="$1 $global ($(he_rel "$global_loc"))"
  fi
}

# he_sshd_set KEYWORD VALUE: the drop-in that sorts first holds KEYWORD VALUE, and sshd_config includes it first.
he_sshd_set() {
  he_edit_file "$HE_SSHD_DROPIN" -v key="$1" -v val="$2" '
    NR == 1 && FNR == 1 && $0 !~ /^#/ { print "# CIS hardening (managed by cis-harden.sh): first value wins, so this file sorts first." }
    { k = $1; sub(/=.*/, "", k) }
    tolower(k) == tolower(key) { if (!done) print key " " val; done = 1; next }
    { print }
    END {
      if (NR == 0) print "# CIS hardening (managed by cis-harden.sh): first value wins, so this file sorts first."
      if (!done) print key " " val
    }'
  chmod 0600 -- "$HE_ROOT$HE_SSHD_DROPIN"
  local main
  he_resolve main "$HE_SSHD_CONFIG"
  if ! gawk '/^[ \t]*[Ii]nclude[ \t]+(\/etc\/ssh\/)?sshd_config\.d\/\*\.conf[ \t]*$/ { f = 1 } END { exit !f }' "$main" 2>/dev/null
  then
    he_edit_file "$(he_rel "$main")" '
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

he_fam_sshd_option() {
  local mode=$1 kw=$2 rule=$3 fix=$4
  if [[ $mode == audit ]]; then
    he_sshd_check "$kw" "$rule"
    if [[ ${#HE_SSHD_BAD[@]} -eq 0 ]]; then
      he_pass "$HE_SSHD_EFFECTIVE"
    else
      local IFS=';'
      he_fail "${HE_SSHD_BAD[*]}"
    fi
    return 0
  fi
  he_sshd_fix "$kw" "$rule" "$fix"
  he_sshd_reload
}
