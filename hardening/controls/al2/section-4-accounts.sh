# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2 v3.0.0 section 4, PAM (4.4.x) and accounts and environment (4.5.x). Helpers are prefixed
# he_al2p_; the shared readers are in lib/pam.sh and lib/accounts.sh. EKS decisions:
# hardening/catalog/al2/section-4.yaml.
#
# Amazon Linux 2 has pam 1.1.8 (no faillock.conf or pwhistory.conf: options go on the PAM lines) and
# libpwquality 1.2.3 (only /etc/security/pwquality.conf, no pwquality.conf.d; no dictcheck setting).
# /etc/pam.d/system-auth and password-auth are links to the *-ac files `authconfig` rewrites. Before the first
# edit apply copies what a link points to into <name>-local and points the link there, as RHEL 7 and its STIG
# (RHEL-07-010199) do: authconfig keeps writing *-ac and leaves a link to another file alone.

HE_AL2P_STACKS=(system-auth password-auth)
HE_AL2P_PWQ_CONF=/etc/security/pwquality.conf

# ---- the PAM stack ----------------------------------------------------------------------------

# he_al2p_own NAME: /etc/pam.d/NAME is ours to edit: a link to authconfig's NAME-ac becomes a link to
# NAME-local holding the same rules.
he_al2p_own() {
  local name=$1 link=/etc/pam.d/$1 real
  he_resolve real "$link"
  [[ -f $real ]] || { printf '%s: no PAM stack /etc/pam.d/%s\n' "$HE_CURRENT" "$name" >&2; return 1; }
  [[ -L $HE_ROOT$link && $(he_rel "$real") == /etc/pam.d/*-ac ]] || return 0
  he_write_file "$link-local" "$(cat -- "$real")"
  rm -f -- "$HE_ROOT$link"
  ln -s "$name-local" "$HE_ROOT$link"
}

# he_al2p_each FUNCTION ARGS...: FUNCTION PATH ARGS... on system-auth and password-auth, made ours first.
he_al2p_each() {
  local name real
  for name in "${HE_AL2P_STACKS[@]}"; do
    he_al2p_own "$name"
    he_resolve real "/etc/pam.d/$name"
    "$@" "$(he_rel "$real")"
  done
}
he_al2p_edit() { local path=${*: -1}; he_edit_file "$path" "${@:1:$#-1}"; }
he_al2p_drop_args() { he_pam_drop_args "$3" "$1" "$2"; }  # MODULE ARGS PATH
# he_al2p_edit_twice GAWK-ARGS... PATH: as he_al2p_edit, the program reading PATH twice (ARGIND 1, then 2).
he_al2p_edit_twice() { local path=${*: -1}; he_edit_file "$path" "${@:1:$#-1}" "$HE_ROOT$path"; }

# he_al2p_audit GAWK-CHECK [GAWK-OPTION...]: run a check (with HE_AWK_PAM, printing problems) over each stack as
# PAM reads it; problems go to the caller's `bad` as "<name>: <problem>".
he_al2p_audit() {
  local check=$1 name real out
  shift
  for name in "${HE_AL2P_STACKS[@]}"; do
    he_resolve real "/etc/pam.d/$name"
    if [[ ! -f $real ]]; then bad+=("no /etc/pam.d/$name"); continue; fi
    out=$(gawk "$@" "$HE_AWK_PAM$check" "$real")
    [[ -z $out ]] || bad+=("$name: $out")
  done
}

# he_al2p_stack_has ERE: a rule matching ERE in either stack.
he_al2p_stack_has() {
  local name real
  for name in "${HE_AL2P_STACKS[@]}"; do
    he_resolve real "/etc/pam.d/$name"
    [[ -f $real ]] && grep -Eq -- "$1" "$real" && return 0
  done
  return 1
}

# ---- 4.4.1 packages -----------------------------------------------------------------------------

# 4.4.1.1 latest pam: only yum on the running system can compare with the repositories; under --root the audit
# can still see that pam is missing.
he_ctl_4_4_1_1() {
  local mode=$1 rc=0
  if ! he_any_exists /usr/lib64/security/pam_unix.so /usr/lib/security/pam_unix.so; then
    if [[ $mode == audit ]]; then he_fail "pam is not installed (no pam_unix.so)"; return 0; fi
    if he_live; then he_dnf install pam; else he_defer "installing pam needs yum on a running system"; fi
    return 0
  fi
  if ! he_live; then
    if [[ $mode == audit ]]; then he_deferred "pam installed; whether it is the latest needs yum on a running system"
    else he_defer "updating pam needs yum on a running system"; fi
    return 0
  fi
  if [[ $mode == audit ]]; then
    yum -q check-update pam >/dev/null 2>&1 || rc=$?
    case $rc in
      0) he_pass "pam $(rpm -q pam) is the latest in the enabled repositories" ;;
      100) he_fail "an update of pam is available ($(rpm -q pam) installed)" ;;
      *) he_fail "yum check-update pam failed (exit $rc)" ;;
    esac
    return 0
  fi
  he_dnf update pam
}

# ---- 4.4.2.1 pam_faillock (options on the lines: pam 1.1.8 reads no faillock.conf) ------------------

# Order and kinds: "auth required pam_faillock.so preauth" before pam_unix, "auth [default=die] ... authfail"
# after it, and "account required pam_faillock.so".
HE_AL2P_FAILLOCK_LINES='
  pam_line($0) && PT == "auth" && PM == "pam_unix.so" && !unix { unix = NR }
  pam_line($0) && PM == "pam_faillock.so" && PC !~ /^(sufficient|optional)$/ {
    if (PT == "auth" && PA ~ /(^|[ \t])preauth([ \t]|$)/ && !unix) pre = 1
    if (PT == "auth" && PA ~ /(^|[ \t])authfail([ \t]|$)/ && unix) fail = 1
    if (PT == "account") acct = 1 }
  END { m = ""; if (!pre) m = m " auth preauth before pam_unix"; if (!fail) m = m ", auth authfail after pam_unix"
        if (!acct) m = m ", account"; if (m != "") printf "pam_faillock missing:%s", m }'

# gawk: every auth pam_faillock line through f(name, value) of one option (value "" when absent).
HE_AL2P_FAILLOCK_EACH='
  pam_line($0) && PT == "auth" && PM == "pam_faillock.so" { n++; check() }
  END { if (!n) printf "no auth pam_faillock.so lines" }'

he_ctl_4_4_2_1_1() {
  local mode=$1 bad=()
  he_al2p_audit "$HE_AL2P_FAILLOCK_LINES"
  if [[ $mode == audit ]]; then he_report_bad "pam_faillock preauth, authfail and account in both stacks"; return 0; fi
  he_al2p_faillock_apply
}

# 4.4.2.1.2 deny 1 to 5 written on every auth pam_faillock line: pam_faillock's default (3) complies, but the
# benchmark's audit greps the preauth and authfail lines of both stacks for deny=, so an absent deny fails.
he_ctl_4_4_2_1_2() {
  local mode=$1 bad=()
  he_al2p_audit 'function check(  v, which) { v = pam_arg("deny"); which = (PA ~ /preauth/ ? "preauth" : "authfail")
      if (v == "") printf "%s has no deny= (the default 3 complies, but CIS'"'"'s audit reads the line) ", which
      else if (v !~ /^[0-9]+$/ || v + 0 < 1 || v + 0 > 5) printf "%s deny=%s (want 1 to 5) ", which, v }'"$HE_AL2P_FAILLOCK_EACH"
  if [[ $mode == audit ]]; then he_report_bad "pam_faillock deny between 1 and 5 on every auth line"; return 0; fi
  he_al2p_faillock_apply
}

he_ctl_4_4_2_1_3() {
  local mode=$1 bad=()
  he_al2p_audit 'function check(  v) { v = pam_arg("unlock_time"); if (v == "") v = 600
      if (v !~ /^[0-9]+$/ || (v + 0 > 0 && v + 0 < 900)) printf "unlock_time=%s (want 0 or >= 900) ", v }'"$HE_AL2P_FAILLOCK_EACH"
  if [[ $mode == audit ]]; then he_report_bad "pam_faillock unlock_time 0 or >= 900 on every auth line"; return 0; fi
  he_al2p_faillock_apply
}

# 4.4.2.1.4 root is locked out too: even_deny_root, or root_unlock_time (which implies it) of at least 60.
he_ctl_4_4_2_1_4() {
  local mode=$1 bad=()
  he_al2p_audit 'function check(  v) { v = pam_arg("root_unlock_time")
      if (v != "" && (v !~ /^[0-9]+$/ || v + 0 < 60)) printf "root_unlock_time=%s (want >= 60) ", v
      else if (v == "" && PA !~ /(^|[ \t])even_deny_root([ \t]|$)/) printf "no even_deny_root " }'"$HE_AL2P_FAILLOCK_EACH"
  if [[ $mode == audit ]]; then he_report_bad "pam_faillock locks root out too on every auth line"; return 0; fi
  he_al2p_faillock_apply
}

# he_al2p_faillock_apply: the three pam_faillock rules in place, with compliant values kept (deny 5,
# unlock_time 900 and even_deny_root otherwise). Root has no password on EKS nodes: it is never locked out of
# `sudo su -` (pam_rootok) or the SSM agent (no PAM authentication).
he_al2p_faillock_apply() {
  he_al2p_each he_al2p_edit_twice "$HE_AWK_PAM"'
    function keep(name, ok,   v) { v = pam_arg(name); if (v != "" && ok) opt[name] = name "=" v }
    ARGIND == 1 { if (pam_line($0) && PT == "auth" && PM == "pam_faillock.so" && !seen) { seen = 1
        v = pam_arg("deny"); keep("deny", v ~ /^[0-9]+$/ && v + 0 >= 1 && v + 0 <= 5)
        v = pam_arg("unlock_time"); keep("unlock_time", v ~ /^[0-9]+$/ && (v + 0 == 0 || v + 0 >= 900))
        v = pam_arg("root_unlock_time"); keep("root_unlock_time", v ~ /^[0-9]+$/ && v + 0 >= 60)
        v = pam_arg("fail_interval"); keep("fail_interval", v ~ /^[0-9]+$/) }
      next }
    FNR == 1 { args = "audit " (("deny" in opt) ? opt["deny"] : "deny=5") " " (("unlock_time" in opt) ? opt["unlock_time"] : "unlock_time=900")
               args = args " even_deny_root" (("root_unlock_time" in opt) ? " " opt["root_unlock_time"] : "") (("fail_interval" in opt) ? " " opt["fail_interval"] : "") }
    pam_line($0) && PM == "pam_faillock.so" { next }
    pam_line($0) && PT == "auth" && PM == "pam_unix.so" && !auth {
      auth = 1; print "auth        required      pam_faillock.so preauth silent " args; print
      print "auth        [default=die] pam_faillock.so authfail " args; next }
    pam_line($0) && PT == "account" && PM == "pam_unix.so" && !acct { acct = 1; print "account     required      pam_faillock.so" }
    { print }'
}

# ---- 4.4.2.2 pam_pwquality (libpwquality 1.2.3) ----------------------------------------------------

# Settings libpwquality 1.2.3 knows. It reads pwquality.conf up to the first line it rejects (an unknown name,
# "name=value" without blanks, which it reads as one name, or a number that is not one) and ignores the rest.
HE_AL2P_PWQ_KNOWN=" difok minlen dcredit ucredit lcredit ocredit minclass maxrepeat maxclassrepeat maxsequence gecoscheck badwords dictpath "
declare -A HE_AL2P_PWQ_DEFAULT=([difok]=5 [minlen]=9 [dcredit]=1 [ucredit]=1 [lcredit]=1 [ocredit]=1 [minclass]=0
  [maxrepeat]=0 [maxsequence]=0)

# gawk (ARGV: pwquality.conf or /dev/null, then a stack): conf[name] as libpwquality 1.2.3 reads it, stop (where
# it stopped reading), seen (a pam_pwquality password rule), arg[name] (its arguments, which override conf).
HE_AL2P_PWQ_READ='
  ARGIND == 1 { if (stop != "") next
    line = $0; sub(/#.*/, "", line); gsub(/^[ \t]+|[ \t\r]+$/, "", line); if (line == "") next
    name = line; sub(/[ \t].*/, "", name); val = substr(line, length(name) + 1); sub(/^[ \t]*=?[ \t]*/, "", val)
    if (!index(known, " " tolower(name) " ")) { stop = "pwquality.conf line " FNR " (" name ") is not a setting libpwquality 1.2.3 knows: it stops reading there"; next }
    if (tolower(name) !~ /^(badwords|dictpath)$/ && val !~ /^[+-]?[0-9]+$/) { stop = "pwquality.conf line " FNR ": " name " is not a number: libpwquality stops reading there"; next }
    conf[tolower(name)] = val; next }
  pam_line($0) && PT == "password" && PM == "pam_pwquality.so" { seen = 1
    n = split(PA, w, /[ \t]+/); for (i = 1; i <= n; i++) if (w[i] ~ /=/) { k = w[i]; sub(/=.*/, "", k); v = w[i]; sub(/^[^=]*=/, "", v); arg[k] = v } }'

# he_al2p_pwq_values KEY...: per stack, "<stack>|<seen>|<stop>|<value of each KEY>|..." with KEY's effective value
# (argument, else pwquality.conf, else the 1.2.3 default) as "value@source".
he_al2p_pwq_values() {
  local name real conf defaults="" k
  he_resolve conf "$HE_AL2P_PWQ_CONF"
  [[ -f $conf ]] || conf=/dev/null
  for k in "$@"; do defaults+=" $k=${HE_AL2P_PWQ_DEFAULT[$k]:-}"; done
  for name in "${HE_AL2P_STACKS[@]}"; do
    he_resolve real "/etc/pam.d/$name"
    [[ -f $real ]] || { printf '%s|0|\n' "$name"; continue; }
    gawk -v known="$HE_AL2P_PWQ_KNOWN" -v keys="$*" -v defaults="$defaults" -v stack="$name" "$HE_AWK_PAM$HE_AL2P_PWQ_READ"'
      END { printf "%s|%d|%s", stack, seen, stop; n = split(keys, ks, " ")
        for (i = 1; i <= n; i++) { k = ks[i]
          if (k in arg) out = arg[k] "@pam_pwquality.so argument"
          else if (k in conf) out = conf[k] "@pwquality.conf"
          else { d = defaults; sub(".* " k "=", "", d); sub(/ .*/, "", d); out = d "@default" }
          printf "|%s", out }
        printf "\n" }' "$conf" "$real"
  done
}

# he_al2p_pwq_audit KEY...: fills `bad` for a missing pam_pwquality rule or a stopped reading; sets the
# caller's `values` (array: one line of he_al2p_pwq_values per stack).
he_al2p_pwq_audit() {
  local line stack seen stop
  mapfile -t values < <(he_al2p_pwq_values "$@")
  for line in "${values[@]}"; do
    IFS='|' read -r stack seen stop _ <<<"$line"
    [[ $seen == 1 ]] || bad+=("$stack: no pam_pwquality.so in the password stack")
    [[ -z $stop || " ${bad[*]} " == *"$stop"* ]] || bad+=("$stop")
  done
}

# he_al2p_pwq_set KEY VALUE: KEY = VALUE in pwquality.conf, lines libpwquality 1.2.3 would stop at commented out,
# and KEY dropped from the pam_pwquality arguments (they override the file).
he_al2p_pwq_set() {
  local key=$1 value=$2
  he_edit_file "$HE_AL2P_PWQ_CONF" -v known="$HE_AL2P_PWQ_KNOWN" -v id="$HE_CURRENT" '
    { line = $0; sub(/#.*/, "", line); gsub(/^[ \t]+|[ \t\r]+$/, "", line) }
    line != "" { name = line; sub(/[ \t].*/, "", name); val = substr(line, length(name) + 1); sub(/^[ \t]*=?[ \t]*/, "", val)
      if (!index(known, " " tolower(name) " ") || (tolower(name) !~ /^(badwords|dictpath)$/ && val !~ /^[+-]?[0-9]+$/)) {
        print "# " $0 "  # libpwquality 1.2.3 stops reading here (CIS hardening " id ")"; next } }
    { print }'
  he_kv_set "$HE_AL2P_PWQ_CONF" "$key" "$value"
  if he_al2p_stack_has "pam_pwquality\.so.*[[:space:]]$key="; then he_al2p_each he_al2p_drop_args pam_pwquality.so "$key"; fi
  he_al2p_pwquality_rule
}

# he_al2p_pwquality_rule: a pam_pwquality password rule before pam_unix's in each stack that lacks one.
he_al2p_pwquality_rule() {
  local bad=()
  he_al2p_audit 'pam_line($0) && PT == "password" && PM == "pam_pwquality.so" { seen = 1 } END { if (!seen) print "missing" }'
  [[ ${#bad[@]} -gt 0 ]] || return 0
  he_al2p_each he_al2p_edit_twice "$HE_AWK_PAM"'
    ARGIND == 1 { if (pam_line($0) && PT == "password" && PM == "pam_pwquality.so") has = 1; next }
    !has && !done && pam_line($0) && PT == "password" && PM == "pam_unix.so" {
      print "password    requisite     pam_pwquality.so try_first_pass local_users_only retry=3 authtok_type="; done = 1 }
    { print }'
}

# he_al2p_pwq_control MODE KEY FIX TEXT: KEY's effective value in both stacks meets he_pwquality_value_ok.
he_al2p_pwq_control() {
  local mode=$1 key=$2 fix=$3 text=$4 bad=() values=() line stack v src shown=()
  he_al2p_pwq_audit "$key"
  for line in "${values[@]}"; do
    IFS='|' read -r stack _ _ v <<<"$line"
    src=${v#*@}
    v=${v%@*}
    shown+=("$stack $key=$v ($src)")
    he_pwquality_value_ok "$key" "$v" || bad+=("$stack: $key=${v:-unset} ($src), want $text")
  done
  if [[ $mode == audit ]]; then he_report_bad "${shown[*]}"; return 0; fi
  he_al2p_pwq_set "$key" "$fix"
}

# 4.4.2.2.1 pam_pwquality in the password stack of both files, before pam_unix, with retry 1 to 3 on its line
# (libpwquality 1.2.3 has no retry setting: only the argument sets it; its default 1 complies, but the benchmark's
# audit reads the line, as authconfig writes it: retry=3).
he_ctl_4_4_2_2_1() {
  local mode=$1 bad=()
  he_al2p_audit '
    pam_line($0) && PT == "password" && PM == "pam_unix.so" && !unix { unix = NR }
    pam_line($0) && PT == "password" && PM == "pam_pwquality.so" { seen = 1
      if (unix) printf "pam_pwquality.so comes after pam_unix.so (never reached) "
      if (PC !~ /^(requisite|required)$/) printf "pam_pwquality.so is %s, want requisite ", PC
      v = pam_arg("retry")
      if (v == "") printf "pam_pwquality.so has no retry= (the default 1 complies, but CIS'"'"'s audit reads the line) "
      else if (v !~ /^[0-9]+$/ || v + 0 < 1 || v + 0 > 3) printf "pam_pwquality.so retry=%s, want 1 to 3 ", v }
    END { if (!seen) printf "no pam_pwquality.so in the password stack" }'
  if [[ $mode == audit ]]; then he_report_bad "pam_pwquality.so requisite before pam_unix.so, retry 1 to 3, in both stacks"; return 0; fi
  he_al2p_each he_al2p_edit "$HE_AWK_PAM"'
    pam_line($0) && PT == "password" && PM == "pam_pwquality.so" { if (!unix && PC ~ /^(requisite|required)$/) { keep = 1; print; next } next }
    pam_line($0) && PT == "password" && PM == "pam_unix.so" && !done { unix = 1
      if (!keep) print "password    requisite     pam_pwquality.so try_first_pass local_users_only retry=3 authtok_type="; done = 1 }
    { print }'
  he_al2p_each he_pam_set_retry
}

he_ctl_4_4_2_2_2() { he_al2p_pwq_control "$1" difok 2 ">= 2"; }
he_ctl_4_4_2_2_3() { he_al2p_pwq_control "$1" minlen 14 ">= 14"; }
he_ctl_4_4_2_2_5() { he_al2p_pwq_control "$1" maxrepeat 3 "1 to 3"; }
he_ctl_4_4_2_2_6() { he_al2p_pwq_control "$1" maxsequence 3 "1 to 3"; }

# 4.4.2.2.4 complexity: minclass 4, or every credit negative (effective values, as for the others).
he_ctl_4_4_2_2_4() {
  local mode=$1 bad=() values=() line stack minclass d u l o
  he_al2p_pwq_audit minclass dcredit ucredit lcredit ocredit
  for line in "${values[@]}"; do
    IFS='|' read -r stack _ _ minclass d u l o <<<"$line"
    he_pwquality_complexity_ok "${minclass%@*}" "${d%@*}" "${u%@*}" "${l%@*}" "${o%@*}" ||
      bad+=("$stack: minclass=${minclass/@/ from } dcredit=${d%@*} ucredit=${u%@*} lcredit=${l%@*} ocredit=${o%@*}, want minclass=4")
  done
  if [[ $mode == audit ]]; then he_report_bad "every class of characters required in both stacks"; return 0; fi
  he_al2p_pwq_set minclass 4
}

# 4.4.2.2.7 dictionary check: libpwquality 1.2.3 always runs cracklib when pam_pwquality is in the stack and has
# no dictcheck setting; a dictcheck line in pwquality.conf only stops the reading (and dictcheck=0 turns the
# check off on a later libpwquality), so none may be there, nor dictcheck=0 on the PAM line.
he_ctl_4_4_2_2_7() {
  local mode=$1 bad=() values=() real lines
  he_al2p_pwq_audit
  he_resolve real "$HE_AL2P_PWQ_CONF"
  if [[ -f $real ]]; then
    lines=$(gawk '{ l = $0; sub(/#.*/, "", l) } l ~ /^[ \t]*dictcheck([ \t=]|$)/ { printf "%s%d", (n++ ? "," : ""), FNR }' "$real")
    [[ -z $lines ]] || bad+=("pwquality.conf sets dictcheck (line $lines), which libpwquality 1.2.3 does not know")
  fi
  he_al2p_audit 'pam_line($0) && PT == "password" && PM == "pam_pwquality.so" && pam_arg("dictcheck") ~ /^[+-]?0+$/ { printf "pam_pwquality.so dictcheck=0" }'
  if [[ $mode == audit ]]; then he_report_bad "pam_pwquality checks new passwords against the cracklib dictionary"; return 0; fi
  [[ -z ${lines:-} ]] || he_edit_file "$HE_AL2P_PWQ_CONF" -v id="$HE_CURRENT" '
    { l = $0; sub(/#.*/, "", l) } l ~ /^[ \t]*dictcheck([ \t=]|$)/ { print "# " $0 "  # not a libpwquality 1.2.3 setting (CIS hardening " id ")"; next } { print }'
  if he_al2p_stack_has "pam_pwquality\.so.*[[:space:]]dictcheck="; then he_al2p_each he_al2p_drop_args pam_pwquality.so dictcheck; fi
  he_al2p_pwquality_rule
}

# ---- 4.4.2.3 pam_pwhistory (options on the line: pam 1.1.8 reads no pwhistory.conf) ------------------

HE_AL2P_REMEMBER=24
HE_AL2P_PWHISTORY_EACH='
  pam_line($0) && PT == "password" && PM == "pam_unix.so" && !unix { unix = NR }
  pam_line($0) && PT == "password" && PM == "pam_pwhistory.so" { n++; check() }
  END { if (!n) printf "no pam_pwhistory.so in the password stack" }'

he_al2p_pwhistory_control() {
  local mode=$1 check=$2 text=$3 bad=()
  he_al2p_audit "$check$HE_AL2P_PWHISTORY_EACH"
  if [[ $mode == audit ]]; then he_report_bad "$text"; return 0; fi
  he_al2p_pwhistory_apply
}

# 4.4.2.3.1 enabled: required (or requisite) and before pam_unix, which ends the stack when it succeeds.
he_ctl_4_4_2_3_1() {
  he_al2p_pwhistory_control "$1" 'function check() {
      if (unix) printf "pam_pwhistory.so comes after pam_unix.so (never reached) "
      if (PC !~ /^(requisite|required)$/) printf "pam_pwhistory.so is %s, want required ", PC }' \
    "pam_pwhistory.so required before pam_unix.so in both stacks"
}
he_ctl_4_4_2_3_2() {
  he_al2p_pwhistory_control "$1" 'function check(  v) { v = pam_arg("remember"); if (v == "") v = 10
      if (v !~ /^[0-9]+$/ || v + 0 < 24) printf "pam_pwhistory.so remembers %s passwords, want >= 24 ", v }' \
    "pam_pwhistory.so remembers >= 24 passwords in both stacks"
}
he_ctl_4_4_2_3_3() {
  he_al2p_pwhistory_control "$1" 'function check() { if (PA !~ /(^|[ \t])enforce_for_root([ \t]|$)/) printf "pam_pwhistory.so without enforce_for_root " }' \
    "pam_pwhistory.so enforce_for_root in both stacks"
}
he_ctl_4_4_2_3_4() {
  he_al2p_pwhistory_control "$1" 'function check() { if (PA !~ /(^|[ \t])use_authtok([ \t]|$)/) printf "pam_pwhistory.so without use_authtok " }' \
    "pam_pwhistory.so use_authtok in both stacks"
}

# he_al2p_pwhistory_apply: one pam_pwhistory rule, right before pam_unix's password rule (after pam_pwquality),
# with use_authtok, enforce_for_root and remember (kept when already >= 24).
he_al2p_pwhistory_apply() {
  he_al2p_each he_al2p_edit_twice -v remember="$HE_AL2P_REMEMBER" "$HE_AWK_PAM"'
    ARGIND == 1 { if (pam_line($0) && PT == "password" && PM == "pam_pwhistory.so") { v = pam_arg("remember"); if (v ~ /^[0-9]+$/ && v + 0 > remember + 0) remember = v }
      next }
    pam_line($0) && PT == "password" && PM == "pam_pwhistory.so" { next }
    pam_line($0) && PT == "password" && PM == "pam_unix.so" && !done {
      print "password    required      pam_pwhistory.so use_authtok remember=" remember " enforce_for_root"; done = 1 }
    { print }'
}

# ---- 4.4.2.4 pam_unix -----------------------------------------------------------------------------

# 4.4.2.4.1 no nullok: an empty password field never authenticates (ec2-user and ssm-user have "!!", not "").
he_ctl_4_4_2_4_1() {
  local mode=$1 bad=()
  he_al2p_audit 'pam_line($0) && PM == "pam_unix.so" && PA ~ /(^|[ \t])nullok([ \t]|$)/ { printf "%s%s pam_unix.so nullok (line %d)", (n++ ? ", " : ""), PT, FNR }'
  if [[ $mode == audit ]]; then he_report_bad "no pam_unix.so nullok"; return 0; fi
  he_al2p_each he_al2p_drop_args pam_unix.so nullok
}

# 4.4.2.4.2 no remember on pam_unix (pam_pwhistory keeps the history).
he_ctl_4_4_2_4_2() {
  local mode=$1 bad=()
  he_al2p_audit 'pam_line($0) && PM == "pam_unix.so" && PA ~ /(^|[ \t])remember=/ { printf "%s%s pam_unix.so remember (line %d)", (n++ ? ", " : ""), PT, FNR }'
  if [[ $mode == audit ]]; then he_report_bad "no pam_unix.so remember"; return 0; fi
  he_al2p_each he_al2p_drop_args pam_unix.so remember
}

# 4.4.2.4.3 sha512 (the strongest method Amazon Linux 2's glibc crypt offers; it has no yescrypt).
he_ctl_4_4_2_4_3() {
  local mode=$1 bad=()
  he_al2p_audit "$HE_CHECK_SHA512"
  if [[ $mode == audit ]]; then he_report_bad "pam_unix.so sha512 in both password stacks"; return 0; fi
  he_al2p_each he_pam_set_sha512
}

# 4.4.2.4.4 use_authtok: pam_unix sets the password the earlier modules checked.
he_ctl_4_4_2_4_4() {
  local mode=$1 bad=()
  he_al2p_audit 'pam_line($0) && PT == "password" && PM == "pam_unix.so" { seen = 1
      if (PA !~ /(^|[ \t])use_authtok([ \t]|$)/) printf "password pam_unix.so without use_authtok (line %d)", FNR }
    END { if (!seen) printf "no pam_unix.so in the password stack" }'
  if [[ $mode == audit ]]; then he_report_bad "pam_unix.so use_authtok in both password stacks"; return 0; fi
  he_al2p_each he_al2p_edit "$HE_AWK_PAM"'
    pam_line($0) && PT == "password" && PM == "pam_unix.so" && PA !~ /(^|[ \t])use_authtok([ \t]|$)/ { print $0 " use_authtok"; next }
    { print }'
}

# ---- 4.5 accounts and environment (lib/accounts.sh) -------------------------------------------------

# 4.5.1.1 login.defs ENCRYPT_METHOD SHA512 (shadow-utils 4.1.5 on Amazon Linux 2 has no YESCRYPT).
he_ctl_4_5_1_1() {
  local mode=$1 method
  method=$(he_login_defs ENCRYPT_METHOD)
  if [[ $mode == audit ]]; then
    if [[ $method == SHA512 ]]; then he_pass "login.defs ENCRYPT_METHOD SHA512"
    else he_fail "login.defs ENCRYPT_METHOD ${method:-unset (DES)}, want SHA512"; fi
    return 0
  fi
  he_login_defs_set ENCRYPT_METHOD SHA512
}

he_ctl_4_5_1_2() { he_ageing "$1" PASS_MAX_DAYS le 365 365 5; }
he_ctl_4_5_1_3() { he_ageing "$1" PASS_WARN_AGE ge 7 7 6; }
he_ctl_4_5_1_4() { he_ageing "$1" INACTIVE le 30 30 7 /etc/default/useradd; }
he_ctl_4_5_1_5() { he_last_change_past "$1"; }

# 4.5.2.2 root's own start-up files (.bash_profile, .bashrc) set no umask weaker than 027.
he_ctl_4_5_2_2() {
  local mode=$1 home f files=() found v loc bad=()
  home=$(gawk -F: '$1 == "root" { print $6; exit }' "$HE_ROOT/etc/passwd")
  for f in "$HE_ROOT${home:-/root}/.bash_profile" "$HE_ROOT${home:-/root}/.bashrc"; do [[ -f $f ]] && files+=("$f"); done
  found=$(he_weak_umasks "${files[@]}")
  while IFS=$'\t' read -r v loc; do
    [[ -z $v ]] || bad+=("umask $v at $(he_rel "$loc")")
  done <<<"$found"
  if [[ $mode == audit ]]; then he_report_bad "root's .bash_profile and .bashrc set no umask weaker than $HE_UMASK"; return 0; fi
  he_fix_umasks "$found"
}

he_ctl_4_5_2_3() { he_system_accounts "$1"; }
he_ctl_4_5_2_4() { he_root_password_audit "$1"; }  # excepted on EKS (exceptions.yaml)
he_ctl_4_5_3_2() { he_shell_timeout "$1"; }
he_ctl_4_5_3_3() { he_default_umask "$1"; }
