# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# sshd configuration, read as sshd reads it and written where sshd reads it first. Used by the sshd_option
# family and by the sshd controls of every benchmark.
#
# Two layouts (HE_SSHD_LAYOUT):
# - dropin (OpenSSH 8.2+, Amazon Linux 2023): sshd_config with its Include directives expanded in place; our
#   settings go into a drop-in that sorts first, included at the top of sshd_config.
# - single (OpenSSH 7.4, Amazon Linux 2): no Include (7.4 rejects the keyword), so our settings go into a
#   managed block at the top of sshd_config itself.
#
# How sshd reads it (servconf.c of OpenSSH 7.4 and 8.7, and misc.c's strdelim/argv_split):
# - A line is split like strdelim does for the keyword (blanks or one "=", a "quoted" keyword) and, on 8.2+,
#   like argv_split for the arguments ("double" or 'single' quotes, backslash escapes, a word starting with "#"
#   ends the line); 7.4 splits the arguments with strdelim too and rejects anything after the value (a trailing
#   "# comment" included). Keywords are case-insensitive. A keyword with an unterminated quote is ignored.
# - Include (8.2+): each pattern, relative ones under /etc/ssh, is globbed (sorted) and read in place. An
#   included file starts in the includer's Match state, its own Match lines last to its end, and the includer's
#   state is restored after it.
# - The configuration is read twice. At startup every line outside a Match block and inside `Match all` counts,
#   the first value of a keyword wins, and the compiled-in default applies when no line sets it. For each
#   connection it is read again with only the Match blocks that match that connection (the first value among
#   them wins) and those values override the startup ones. A keyword that is not allowed in Match blocks (UsePAM,
#   Ciphers, MaxStartups...; on 7.4 also LogLevel and IgnoreRhosts) makes sshd refuse the whole configuration
#   when it appears in a Match block other than `Match all`.
#
# What the audit asks of a keyword (he_sshd_check): its startup value is set explicitly (a compiled-in default
# is not enough: a drop-in added later could change it unseen, and file-based audits look for the line) and
# complies; the first value of every Match block that can apply complies; and no other line sshd reads holds a
# value that does not comply (dead now, but a file-reading audit sees it and a reordering revives it). Apply
# writes the value where sshd reads it first and comments out every line of the keyword that does not comply.

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
# Keywords a Match block may set (SSHCFG_MATCH in servconf.c's keyword table, and copied from the Match pass by
# copy_set_server_options), among those the controls read. LogLevel and IgnoreRhosts became Match keywords in
# OpenSSH 8.x; on 7.4 (single layout) they are global only.
HE_SSHD_MATCH_KEYWORDS=" permitrootlogin hostbasedauthentication gssapiauthentication x11forwarding
  permitemptypasswords allowtcpforwarding maxauthtries maxsessions banner clientaliveinterval clientalivecountmax
  disableforwarding allowusers allowgroups denyusers denygroups "
HE_SSHD_MATCH_KEYWORDS_DROPIN=" loglevel ignorerhosts "

# The parsed configuration, kept for the run (he_sshd_load). One entry per keyword line sshd reads, in the order
# it reads them: keyword (lower case), first argument, number of arguments (-1: sshd rejects the quoting), where
# ("/path:line", the path as sshd names it), context (the ids of the enclosing Match blocks, outer first, "" at
# top level) and whether the line counts at startup (1: top level or only `Match all` around it).
HE_SSHD_CACHE_KEY=""
HE_SSHD_E_KW=() HE_SSHD_E_VAL=() HE_SSHD_E_N=() HE_SSHD_E_LOC=() HE_SSHD_E_CTX=() HE_SSHD_E_P0=()
HE_SSHD_M_TEXT=() HE_SSHD_M_ALL=()  # Match blocks by id: criteria, 1 for `all`
HE_SSHD_FILES=()      # every file sshd reads, as real paths under the root
HE_SSHD_GLOBS=()      # every Include glob, as "real directory<TAB>pattern", to notice a new or removed file
HE_SSHD_P0_GLOBS=()   # Include patterns read at startup (top level or `Match all`), as sshd resolves them

# The line splitter (gawk): one record per directive of the file, fields separated by \037 (not a blank, so empty
# fields survive `read`): "K keyword count first-argument line", "M all(1/0) criteria line" or
# "I count patterns line" (patterns separated by \036). -v v74=1: OpenSSH 7.4's splitting (strdelim for the arguments, no Include).
HE_SSHD_SPLIT='
  # strdelim(): the next word of S (blanks or one "=" separate; a "quoted" part is one word); SNULL once S is
  # exhausted, as the C function returns NULL; "\001" when a quote is not closed.
  function sd(   p, c, old, rest, q, ws) {
    if (SNULL) return "\001"
    p = match(S, /[ \t\r\n"=]/)
    if (!p) { old = S; S = ""; SNULL = 1; return old }
    c = substr(S, p, 1)
    if (c == "\"") {
      old = substr(S, 1, p - 1); rest = substr(S, p + 1); q = index(rest, "\"")
      if (!q) { SNULL = 1; return "\001" }
      old = old substr(rest, 1, q - 1); S = substr(rest, q + 1); sub(/^[ \t\r\n]*/, "", S)
      return old
    }
    old = substr(S, 1, p - 1); ws = (c == "="); S = substr(S, p + 1); sub(/^[ \t\r\n]*/, "", S)
    if (!ws && substr(S, 1, 1) == "=") { S = substr(S, 2); sub(/^[ \t\r\n]*/, "", S) }
    return old
  }
  # argv_split(s, terminate_on_comment=1) into AV[1..NA]; NA = -1 for an unterminated quote.
  function argv(s,   i, n, c, nx, quote, tok) {
    NA = 0; n = length(s); i = 1
    while (i <= n) {
      c = substr(s, i, 1)
      if (c == " " || c == "\t") { i++; continue }
      if (c == "#") break
      quote = ""; tok = ""
      for (; i <= n; i++) {
        c = substr(s, i, 1)
        if (c == "\\") {
          nx = substr(s, i + 1, 1)
          if (nx == "\047" || nx == "\"" || nx == "\\" || (quote == "" && nx == " ")) { i++; tok = tok nx }
          else tok = tok c
        } else if (quote == "" && (c == " " || c == "\t")) break
        else if (quote == "" && (c == "\"" || c == "\047")) quote = c
        else if (quote != "" && c == quote) quote = ""
        else tok = tok c
      }
      AV[++NA] = tok
      if (i > n && quote != "") { NA = -1; return }
    }
  }
  # 7.4: the arguments are strdelim words; anything after the value is "garbage at end of line".
  function words(   w) {
    NA = 0
    while ((w = sd()) != "\001" && w != "") AV[++NA] = w
    if (w == "\001" && !SNULL) NA = -1
  }
  {
    line = $0
    if (!v74) sub(/[ \t\r\n\f]+$/, "", line)
    S = line; SNULL = 0
    kw = sd()
    if (kw == "") kw = sd()
    if (kw == "\001" || kw == "" || kw ~ /^#/) next
    kw = tolower(kw)
    if (kw == "match") {
      rest = S; first = sd()
      printf "M\037%d\037%s\037%d\n", (tolower(first) == "all"), rest, FNR
      next
    }
    if (v74) words(); else if (SNULL || S == "") NA = 0; else argv(S)
    if (kw == "include" && !v74) {
      out = ""
      for (i = 1; i <= NA; i++) out = out (i > 1 ? "\036" : "") AV[i]
      printf "I\037%d\037%s\037%d\n", NA, out, FNR
      next
    }
    first = (NA > 0 ? AV[1] : ""); gsub(/[\036\037\n]/, " ", first)
    printf "K\037%s\037%d\037%s\037%d\n", kw, NA, first, FNR
  }'

# he_sshd_read NAME CTX P0 DEPTH: the directives of file NAME (a path as sshd names it) into the HE_SSHD_E_*
# arrays; CTX and P0 are the Match state at the point that includes it.
he_sshd_read() {
  local name=$1 pctx=$2 pp0=$3 depth=$4 real kind a b c ln cur="" curall=1 p0=$3 id pattern dir base f fname
  local -a pats
  [[ $depth -le 16 ]] || return 0  # sshd stops at 16 levels ("Too many recursive configuration includes")
  he_resolve real "$name"
  [[ -f $real ]] || return 0
  HE_SSHD_FILES+=("$real")
  while IFS=$'\037' read -r kind a b c ln; do
    case $kind in
      M)
        id=${#HE_SSHD_M_TEXT[@]}
        HE_SSHD_M_TEXT[id]=$b
        HE_SSHD_M_ALL[id]=$a
        cur=$id
        curall=$a
        p0=0
        [[ $pp0 != 1 || $curall != 1 ]] || p0=1 ;;
      I)
        IFS=$'\036' read -r -a pats <<<"$b"
        for pattern in "${pats[@]}"; do
          [[ -n $pattern && $pattern != '~'* ]] || continue  # sshd's glob does not expand ~
          [[ $pattern == /* ]] || pattern=/etc/ssh/$pattern
          [[ $p0 != 1 ]] || HE_SSHD_P0_GLOBS+=("$pattern")
          dir=${pattern%/*}
          base=${pattern##*/}
          if [[ $dir == *[][*?]* ]]; then
            he_sshd_glob "$HE_ROOT" "$pattern"
          else
            he_resolve f "${dir:-/}"
            HE_SSHD_GLOBS+=("$f"$'\t'"$base")
            he_sshd_glob "${f%/}" "/$base"
          fi
          for fname in "${HE_SSHD_GLOB_OUT[@]}"; do
            [[ $dir == *[][*?]* ]] && fname=${fname#"$HE_ROOT"} || fname=$dir/${fname##*/}
            he_sshd_read "$fname" "$pctx${cur:+ $cur}" "$p0" $((depth + 1))
          done
        done ;;
      K)
        HE_SSHD_E_KW+=("$a")
        HE_SSHD_E_N+=("$b")
        HE_SSHD_E_VAL+=("$c")
        HE_SSHD_E_LOC+=("$name:$ln")
        HE_SSHD_E_CTX+=("$pctx${cur:+ $cur}")
        HE_SSHD_E_P0+=("$p0") ;;
    esac
  done < <(gawk -v v74="$([[ $HE_SSHD_LAYOUT == single ]] && echo 1)" "$HE_SSHD_SPLIT" "$real")
  return 0
}

# he_sshd_glob PREFIX PATTERN: HE_SSHD_GLOB_OUT becomes the existing paths PREFIX+PATTERN matches, sorted as
# glob(3) sorts them in sshd (the script runs with LC_ALL=C). Only PATTERN is expanded.
he_sshd_glob() {
  local IFS="" f
  HE_SSHD_GLOB_OUT=()
  for f in "$1"$2; do
    [[ -e $f ]] && HE_SSHD_GLOB_OUT+=("$f")
  done
  return 0
}

# he_sshd_signature: what the cached parse depends on: the files read (device, inode, size, mtime) and what
# each Include glob matches now.
he_sshd_signature() {
  local g
  [[ ${#HE_SSHD_FILES[@]} -eq 0 ]] || stat -L -c '%d:%i:%s:%Y' -- "${HE_SSHD_FILES[@]}" 2>&1 || true
  for g in "${HE_SSHD_GLOBS[@]}"; do
    he_sshd_glob "${g%%$'\t'*}" "/${g#*$'\t'}"
    printf '%s\n' "${HE_SSHD_GLOB_OUT[*]}"
  done
  he_resolve g "$HE_SSHD_CONFIG"
  printf '%s\n' "$g"
}

# he_sshd_load: parse the configuration once per run. The audit changes nothing, so the parse is reused as is;
# under apply it is reused while the signature is unchanged, and our own writes drop it (he_sshd_forget).
he_sshd_load() {
  if [[ -n $HE_SSHD_CACHE_KEY ]]; then
    [[ $HE_MODE != audit ]] || return 0
    [[ $(he_sshd_signature) != "$HE_SSHD_CACHE_KEY" ]] || return 0
  fi
  HE_SSHD_E_KW=() HE_SSHD_E_VAL=() HE_SSHD_E_N=() HE_SSHD_E_LOC=() HE_SSHD_E_CTX=() HE_SSHD_E_P0=()
  HE_SSHD_M_TEXT=() HE_SSHD_M_ALL=() HE_SSHD_FILES=() HE_SSHD_GLOBS=() HE_SSHD_P0_GLOBS=()
  he_sshd_read "$HE_SSHD_CONFIG" "" 1 0
  HE_SSHD_CACHE_KEY=$(he_sshd_signature)
}

he_sshd_forget() { HE_SSHD_CACHE_KEY=""; }

# he_sshd_matchable KEYWORD (lower case): a Match block may set it.
he_sshd_matchable() {
  [[ $HE_SSHD_MATCH_KEYWORDS == *" $1 "* ]] && return 0
  [[ $HE_SSHD_LAYOUT == dropin && $HE_SSHD_MATCH_KEYWORDS_DROPIN == *" $1 "* ]]
}

# he_sshd_shadowed I: an earlier line of the same keyword, in a Match block that every connection matching line
# I's blocks also matches (the same block, an enclosing one, or `Match all`), comes first for all of them.
he_sshd_shadowed() {
  local i=$1 j id ok
  for ((j = 0; j < i; j++)); do
    [[ ${HE_SSHD_E_KW[j]} == "${HE_SSHD_E_KW[i]}" && -n ${HE_SSHD_E_CTX[j]} && ${HE_SSHD_E_N[j]} == 1 ]] || continue
    ok=1
    for id in ${HE_SSHD_E_CTX[j]}; do
      [[ ${HE_SSHD_M_ALL[id]} == 1 || " ${HE_SSHD_E_CTX[i]} " == *" $id "* ]] || { ok=0; break; }
    done
    [[ $ok == 0 ]] || return 0
  done
  return 1
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
    le:*) [[ $value =~ ^[0-9]+$ ]] && ((10#$value >= 1 && 10#$value <= ${rule#le:})) ;;
    range:*)
      lo=${rule#range:}; hi=${lo#*:}; lo=${lo%%:*}
      [[ $value =~ ^[0-9]+$ ]] && ((10#$value >= lo && 10#$value <= hi)) ;;
    maxstartups:*)
      IFS=: read -r s r f <<<"$value"
      [[ -n $r ]] || { r=0; f=$s; }  # a single value is a hard limit
      local max_s max_r max_f
      IFS=: read -r max_s max_r max_f <<<"${rule#maxstartups:}"
      # CIS: none of start, rate, full above the benchmark's 10:30:60.
      [[ $s =~ ^[0-9]+$ && $r =~ ^[0-9]+$ && $f =~ ^[0-9]+$ ]] && ((10#$s <= max_s && 10#$r <= max_r && 10#$f <= max_f)) ;;
    file) [[ ${value,,} != none && -n $value && -f $HE_ROOT$value ]] ;;
    weak:*)  # an algorithm list with none of the weak ones (and not empty)
      [[ -n $value ]] || return 1
      ! he_sshd_algorithms "$value" "$default" | gawk -v weak="${rule#weak:}" '
        BEGIN { n = split(tolower(weak), w, ","); for (i = 1; i <= n; i++) bad[w[i]] = 1 }
        tolower($0) in bad { found = 1 } END { exit !found }' ;;
    *) printf '%s: unknown sshd rule %s\n' "$HE_CURRENT" "$rule" >&2; return 2 ;;
  esac
}

# he_sshd_check KEYWORD RULE: sets HE_SSHD_BAD (what does not comply, with where), HE_SSHD_BAD_IDX (those lines,
# as indexes into HE_SSHD_E_*) and HE_SSHD_EFFECTIVE (the value of a connection that matches no Match block but
# `Match all`, and where it comes from).
he_sshd_check() {
  local kw=${1,,} rule=$2 i v where live first="" every="" matchable=0 default
  default=${HE_SSHD_DEFAULT[$kw]:-}
  HE_SSHD_BAD=()
  HE_SSHD_BAD_IDX=()
  he_sshd_load
  if he_sshd_matchable "$kw"; then matchable=1; fi
  for i in "${!HE_SSHD_E_KW[@]}"; do
    [[ ${HE_SSHD_E_KW[i]} == "$kw" ]] || continue
    v=${HE_SSHD_E_VAL[i]}
    if [[ -n ${HE_SSHD_E_CTX[i]} ]]; then
      where="in 'Match ${HE_SSHD_M_TEXT[${HE_SSHD_E_CTX[i]##* }]}' at ${HE_SSHD_E_LOC[i]}"
    else
      where="at ${HE_SSHD_E_LOC[i]}"
    fi
    if [[ ${HE_SSHD_E_N[i]} != 1 ]]; then
      if [[ ${HE_SSHD_E_N[i]} == -1 ]]; then v="an unclosed quote"; else v="${HE_SSHD_E_N[i]} arguments"; fi
      HE_SSHD_BAD+=("$1 $where: sshd rejects the line ($v; it takes one argument)")
      HE_SSHD_BAD_IDX+=("$i")
      continue
    fi
    if [[ ${HE_SSHD_E_P0[i]} == 0 && $matchable == 0 ]]; then
      HE_SSHD_BAD+=("$1 $v $where: not allowed in a Match block, sshd refuses the configuration")
      HE_SSHD_BAD_IDX+=("$i")
      continue
    fi
    live=""
    if [[ ${HE_SSHD_E_P0[i]} == 1 && -z $first ]]; then first=$i; live=1; fi
    # The first `Match all` value overrides the startup one for every connection.
    if [[ ${HE_SSHD_E_P0[i]} == 1 && -n ${HE_SSHD_E_CTX[i]} && $matchable == 1 && -z $every ]]; then every=$i; fi
    if [[ -n ${HE_SSHD_E_CTX[i]} && $matchable == 1 ]] && ! he_sshd_shadowed "$i"; then live=1; fi
    he_sshd_rule_ok "$rule" "$v" "$default" && continue
    if [[ -n $live ]]; then
      HE_SSHD_BAD+=("$1 $v $where")
    else
      HE_SSHD_BAD+=("$1 $v $where (not used now, an earlier value wins; but a file-reading audit finds it)")
    fi
    HE_SSHD_BAD_IDX+=("$i")
  done
  if [[ -n $every ]]; then
    HE_SSHD_EFFECTIVE="$1 ${HE_SSHD_E_VAL[every]} (${HE_SSHD_E_LOC[every]}, Match all)"
  elif [[ -n $first ]]; then
    HE_SSHD_EFFECTIVE="$1 ${HE_SSHD_E_VAL[first]} (${HE_SSHD_E_LOC[first]})"
  else
    HE_SSHD_EFFECTIVE="$1 ${default:-unset} (compiled-in default)"
    if he_sshd_rule_ok "$rule" "$default" "$default"; then
      HE_SSHD_BAD+=("$1 is not set: the compiled-in default ${default} complies, but it is pinned (a drop-in could change it unseen; file-reading audits look for the line)")
    else
      HE_SSHD_BAD+=("$1 is not set; the default ${default:-(none)} does not comply")
    fi
  fi
}

# he_sshd_set KEYWORD VALUE: KEYWORD VALUE is the first thing sshd reads: in the drop-in that sorts first (and
# sshd_config includes it at startup), or in the managed block at the top of sshd_config (single layout).
he_sshd_set() {
  local main p read_first=""
  he_resolve main "$HE_SSHD_CONFIG"
  he_sshd_forget
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
  he_resolve main "$HE_SSHD_DROPIN"  # never "$HE_ROOT$HE_SSHD_DROPIN": a linked directory leads off the root
  chmod 0600 -- "$main"
  he_resolve main "$HE_SSHD_CONFIG"
  # sshd must read the drop-in at startup: an Include outside Match blocks (or in `Match all`) that matches it.
  he_sshd_load
  for p in "${HE_SSHD_P0_GLOBS[@]}"; do
    # shellcheck disable=SC2053  # $p is a glob pattern, as sshd's glob(3) reads it
    if [[ $HE_SSHD_DROPIN == $p ]]; then read_first=1; break; fi
  done
  if [[ -z $read_first ]]; then
    HE_NEW_MODE=0600 he_edit_file "$(he_rel "$main")" '
      !done && !/^[ \t]*(#|$)/ { print "Include /etc/ssh/sshd_config.d/*.conf"; done = 1 }
      { print }
      END { if (!done) print "Include /etc/ssh/sshd_config.d/*.conf" }'
    he_sshd_forget
  fi
}

# he_sshd_fix KEYWORD RULE FIX: KEYWORD FIX first, and every line of KEYWORD sshd reads that does not comply (or
# that sshd would reject) commented out, in the file that holds it, with our marker (he_neutralize_line).
he_sshd_fix() {
  local kw=$1 rule=$2 fix=$3 i loc locs real
  he_sshd_set "$kw" "$fix"
  for _ in 1 2 3; do
    he_sshd_check "$kw" "$rule"
    [[ ${#HE_SSHD_BAD_IDX[@]} -gt 0 ]] || break
    locs=()
    for i in "${HE_SSHD_BAD_IDX[@]}"; do
      # A file that is really elsewhere than /etc (a crypto-policies back-end links into /usr/share) belongs to
      # a package: it is not edited, and the control keeps failing with the line named.
      he_resolve real "${HE_SSHD_E_LOC[i]%:*}"
      if [[ $real == "$HE_ROOT"/etc/* ]]; then locs+=("${HE_SSHD_E_LOC[i]}"); fi
    done
    [[ ${#locs[@]} -gt 0 ]] || break
    for loc in "${locs[@]}"; do
      # Commenting out keeps line numbers, so the other locations stay right.
      he_neutralize_line "$HE_ROOT${loc%:*}" "${loc##*:}" /etc/ssh/sshd_config.d
    done
    he_sshd_forget
  done
}

# After a change on a running system: validate, then reload a running sshd.
he_sshd_reload() {
  he_live || return 0
  if command -v sshd >/dev/null 2>&1; then sshd -t; fi
  if systemctl is-active -q sshd.service 2>/dev/null; then systemctl reload sshd.service; fi
}

# he_sshd_access MODE GROUPS: an AllowUsers/AllowGroups/DenyUsers/DenyGroups read at startup limits who may log
# in; apply allows GROUPS (on EKS AMIs ec2-user is in wheel; Session Manager does not use sshd).
he_sshd_access() {
  local mode=$1 groups=$2 i access=""
  he_sshd_load
  for i in "${!HE_SSHD_E_KW[@]}"; do
    [[ ${HE_SSHD_E_P0[i]} == 1 ]] || continue
    case ${HE_SSHD_E_KW[i]} in allowusers | allowgroups | denyusers | denygroups)
      access+="${access:+; }${HE_SSHD_E_KW[i]} ${HE_SSHD_E_VAL[i]} (${HE_SSHD_E_LOC[i]})" ;;
    esac
  done
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
