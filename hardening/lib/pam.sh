# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016,SC2034  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# PAM readers and edits shared by the benchmarks: the PAM rule parser, key = value files (libpwquality,
# pam_faillock, pam_pwhistory), value rules and line edits. How the stack is found differs (authselect on
# AL2023, authconfig's files on AL2) and stays with each benchmark's section 4.

# gawk library: pam_line(line) splits a PAM rule into PT (type), PC (control), PM (module), PA (arguments).
HE_AWK_PAM='
function pam_line(line,   c) {
  PT = PC = PM = PA = ""
  sub(/^[ \t]+/, "", line); if (line ~ /^#/ || line == "") return 0
  sub(/^-/, "", line); PT = line; sub(/[ \t].*/, "", PT); line = substr(line, length(PT) + 1); sub(/^[ \t]+/, "", line)
  if (substr(line, 1, 1) == "[") { c = index(line, "]"); PC = substr(line, 1, c); line = substr(line, c + 1) }
  else { PC = line; sub(/[ \t].*/, "", PC); line = substr(line, length(PC) + 1) }
  sub(/^[ \t]+/, "", line); PM = line; sub(/[ \t].*/, "", PM); PA = substr(line, length(PM) + 1)
  sub(/^[ \t]+/, "", PA); sub(/[ \t]+$/, "", PA); sub(/.*\//, "", PM)
  return 1
}
function pam_arg(name,   n, a, i) { n = split(PA, a, /[ \t]+/); for (i = 1; i <= n; i++) if (index(a[i], name "=") == 1) return substr(a[i], length(name) + 2); return "" }'

# he_kv_value FILE... KEY: last "key = value" (or bare "key") of KEY across FILEs, as libpwquality and
# pam_faillock read them ("" when unset; "set" for a bare flag).
he_kv_value() {
  local key=${*: -1} files=("${@:1:$#-1}") f existing=()
  for f in "${files[@]}"; do [[ -f $f ]] && existing+=("$f"); done
  [[ ${#existing[@]} -gt 0 ]] || return 0
  gawk -v key="$key" '
    { line = $0; sub(/#.*/, "", line); gsub(/^[ \t]+|[ \t]+$/, "", line) }
    line == key { v = "set"; next }
    { k = line; sub(/[ \t]*=.*/, "", k) }
    k == key && line ~ /=/ { v = line; sub(/^[^=]*=[ \t]*/, "", v) }
    END { printf "%s", v }' "${existing[@]}"
}

# he_kv_set PATH KEY VALUE: "key = value" once in PATH (the first assignment replaced, later ones dropped).
he_kv_set() {
  he_edit_file "$1" -v key="$2" -v val="$3" '
    { line = $0; sub(/^[ \t]+/, "", line); k = line; sub(/[ \t]*=.*/, "", k) }
    line !~ /^#/ && k == key { if (!done) print key " = " val; done = 1; next }
    { print }
    END { if (!done) print key " = " val }'
}

# he_pwquality_files VAR: the files libpwquality reads, in order: pwquality.conf.d/*.conf, then the main file
# (read last, so it wins).
he_pwquality_files() {
  local __pq=() __pq_rc=0
  he__he_pwquality_files_fill "$@" || __pq_rc=$?
  he_set_array "$1" "${__pq[@]}"
  return "$__pq_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_pwquality_files_fill fills __pq, a local of he_pwquality_files, which copies it to $1.
he__he_pwquality_files_fill() {
  local f
  __pq=()
  for f in "$HE_ROOT"/etc/security/pwquality.conf.d/*.conf; do [[ -f $f ]] && __pq+=("$f"); done
  __pq+=("$HE_ROOT/etc/security/pwquality.conf")
}

# The CIS value rules (faillock, pwquality), shared so both benchmarks judge the same values alike.
he_faillock_deny_ok() { [[ $1 =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= 5)); }
he_faillock_unlock_ok() { [[ $1 == never ]] || { [[ $1 =~ ^[0-9]+$ ]] && (($1 == 0 || $1 >= 900)); }; }

# gawk check (with HE_AWK_PAM): the password stack's pam_unix hashes with sha512 and nothing weaker.
HE_CHECK_SHA512='
  pam_line($0) && PT == "password" && PM == "pam_unix.so" { seen = 1
    if (PA !~ /(^|[ \t])sha512([ \t]|$)/) printf "pam_unix.so without sha512 "
    if (match(PA, /(^|[ \t])(md5|bigcrypt|sha256|blowfish|yescrypt|gost_yescrypt)([ \t]|$)/)) printf "pam_unix.so uses%s", substr(PA, RSTART, RLENGTH) }
  END { if (!seen) printf "no pam_unix.so in the password stack" }'
# he_pam_set_sha512 PATH: the password pam_unix lines of PATH hash with sha512 (other methods dropped); an
# authselect directive at the end of a line is kept.
he_pam_set_sha512() {
  he_edit_file "$1" "$HE_AWK_PAM"'
    { line = $0; dir = ""
      if (match(line, /[ \t]*\{[^}]*\}[ \t]*$/)) { dir = substr(line, RSTART); line = substr(line, 1, RSTART - 1) } }
    pam_line(line) && PT == "password" && PM == "pam_unix.so" {
      n = split(line, w, /[ \t]+/); out = ""; have = 0
      for (i = 1; i <= n; i++) {
        if (w[i] ~ /^(md5|bigcrypt|sha256|blowfish|yescrypt|gost_yescrypt)$/) continue
        if (w[i] == "sha512") have = 1
        out = out (out == "" ? "" : " ") w[i]
      }
      if (!have) sub(/pam_unix\.so/, "pam_unix.so sha512", out)
      print out dir; next }
    { print }'
}

# he_pam_set_retry PATH: the password pam_pwquality lines of PATH carry retry=3 (added when absent, replacing a
# value outside 1 to 3, a compliant one kept); an authselect directive at the end of a line is kept.
he_pam_set_retry() {
  he_edit_file "$1" "$HE_AWK_PAM"'
    { line = $0; dir = ""
      if (match(line, /[ \t]*\{[^}]*\}[ \t]*$/)) { dir = substr(line, RSTART); line = substr(line, 1, RSTART - 1) } }
    pam_line(line) && PT == "password" && PM == "pam_pwquality.so" {
      v = pam_arg("retry")
      if (v == "") { print line " retry=3" dir; next }
      if (v !~ /^[0-9]+$/ || v + 0 < 1 || v + 0 > 3) { gsub(/[ \t]retry=[^ \t]*/, " retry=3", line); print line dir; next } }
    { print }'
}

# he_pam_drop_args PATH MODULE ARGS: drop the arguments named in ARGS (flags such as "nullok", or "name=value"
# by name) from MODULE's lines in PATH.
he_pam_drop_args() {
  he_edit_file "$1" -v module="$2" -v args=" $3 " "$HE_AWK_PAM"'
    pam_line($0) && PM == module {
      n = split($0, w, /[ \t]+/); out = ""; dropped = 0; in_args = 0
      for (i = 1; i <= n; i++) {
        k = w[i]; sub(/=.*/, "", k)
        if (in_args && index(args, " " k " ")) { dropped = 1; continue }
        if (w[i] ~ ("(^|/)" module "$")) in_args = 1
        out = out (out == "" ? "" : " ") w[i] }
      print (dropped ? out : $0); next }
    { print }'
}

# he_pwquality_value_ok KEY VALUE: VALUE of a libpwquality setting meets CIS (minlen >= 14, difok >= 2,
# maxrepeat and maxsequence 1..3, dictcheck not 0, retry 1..3). An unset VALUE fails.
he_pwquality_value_ok() {
  local key=$1 v=$2
  [[ $v =~ ^[+-]?[0-9]+$ ]] || return 1
  v=$((10#${v#+}))
  case $key in
    minlen) ((v >= 14)) ;;
    difok) ((v >= 2)) ;;
    maxrepeat | maxsequence | retry) ((v >= 1 && v <= 3)) ;;
    dictcheck) ((v != 0)) ;;
    *) return 1 ;;
  esac
}

# he_pwquality_complexity_ok MINCLASS DCREDIT UCREDIT LCREDIT OCREDIT: all four classes required, by minclass 4
# or by every credit being negative.
he_pwquality_complexity_ok() {
  local minclass=$1 c
  shift
  [[ $minclass =~ ^[0-9]+$ ]] && ((minclass >= 4)) && return 0
  for c in "$@"; do [[ $c =~ ^-[1-9][0-9]*$ ]] || return 1; done
}
