# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# Reader of the effective audit rules, and the matcher the audit-rule controls share.
#
# Effective rules on disk are what augenrules loads: /etc/audit/rules.d/*.rules in `ls -v` order, comments and
# blank lines dropped, the last -e (enable flag) moved to the end. On a running system the loaded rules
# (`auditctl -l`) are checked as well; an offline root has none to check.
#
# Required rules are written in auditctl syntax and compared by meaning, not text: `-w P -p wa` and
# `-a always,exit -F path=P -F perm=wa` are the same rule, a rule may be broader than required (more
# permissions, more syscalls, fewer filters, a watched parent directory) but not narrower, every rule needs a
# key, and the first matching rule of the exit list decides: a `never` rule before it suppresses the events.
# `-a task,never` (which stops syscall auditing for every process) and exclude-list rules that drop SYSCALL
# or PATH records are reported as well.

# gawk library: parse(text) fills the P_* globals; add_rule(loc, text) appends the parsed rule's records.
HE_AWK_AUDIT_RULES='
function norm_arch(a) {
  if (a == "x86_64" || a == "aarch64" || a == "ppc64" || a == "s390x") return "b64"
  if (a == "i386" || a == "i686" || a == "arm" || a == "armeb") return "b32"
  return a
}
function norm_field(kind, expr,   m, name, op, val, a, b) {
  if (!match(expr, /^([A-Za-z0-9_]+)(!=|>=|<=|&=|=|>|<|&)(.*)$/, m)) return expr
  name = m[1]; op = m[2]; val = m[3]
  if (kind == "-C") {
    a = name; b = val
    if ((op == "!=" || op == "=") && b < a) { a = val; b = name }
    return "C:" a op b
  }
  if (name ~ /^(auid|uid|euid|suid|fsuid|loginuid)$/ && (val == "-1" || val == "4294967295" || val == "unset")) val = "unset"
  if (name == "exit") val = toupper(val)
  return name op val
}
function parse(text,   n, t, i, tok, v, m, f, fl) {
  P_kind = ""; P_list = ""; P_action = ""; P_arch = ""; P_sys = ""; P_path = ""; P_pkind = ""; P_perm = ""
  P_key = ""; P_msgtype = ""; P_filters = " "; P_enable = ""
  n = split(text, t, /[ \t]+/)
  for (i = 1; i <= n; i++) {
    tok = t[i]
    if (tok == "") continue
    if (tok == "-a" || tok == "-A" || tok == "-d") {
      P_kind = tok; v = t[++i]; split(v, m, ",")
      if (m[1] == "always" || m[1] == "never") { P_action = m[1]; P_list = m[2] } else { P_list = m[1]; P_action = m[2] }
    } else if (tok == "-w" || tok == "-W") {
      P_kind = tok; P_path = t[++i]; P_pkind = "watch"; P_list = "exit"; P_action = "always"
    } else if (tok == "-p") P_perm = t[++i]
    else if (tok == "-k") P_key = t[++i]
    else if (tok == "-S") P_sys = P_sys (P_sys == "" ? "" : ",") t[++i]
    else if (tok == "-e") { P_kind = "-e"; P_enable = t[++i] }
    else if (tok == "-F" || tok == "-C") {
      v = t[++i]; f = norm_field(tok, v)
      if (f ~ /^arch=/) P_arch = norm_arch(substr(f, 6))
      else if (f ~ /^path=/) { P_path = substr(f, 6); P_pkind = "path" }
      else if (f ~ /^dir=/) { P_path = substr(f, 5); P_pkind = "dir" }
      else if (f ~ /^perm=/) P_perm = substr(f, 6)
      else if (f ~ /^key=/) P_key = substr(f, 5)
      else if (f ~ /^msgtype=/) P_msgtype = substr(f, 9)
      else fl[f] = 1
    }
  }
  if (P_path != "/") sub(/\/+$/, "", P_path)
  if (P_sys == "" || ("," P_sys ",") ~ /,all,/) P_sys = "*"
  PROCINFO["sorted_in"] = "@ind_str_asc"
  for (f in fl) P_filters = P_filters f " "
  delete PROCINFO["sorted_in"]
}
# Records of the effective list: one per parsed rule (syscalls kept as a list).
function add_rule(loc, text,   r, s) {
  parse(text)
  if (P_kind == "-W" || P_kind == "-d") {
    for (r = 1; r <= NR_E; r++) {
      if (E_gone[r] != "") continue
      if (P_kind == "-W" && E_pkind[r] == "watch" && E_path[r] == P_path) E_gone[r] = loc
      if (P_kind == "-d" && E_sig[r] == P_list SUBSEP P_action SUBSEP P_arch SUBSEP P_sys SUBSEP P_path SUBSEP P_pkind SUBSEP P_perm SUBSEP P_filters) E_gone[r] = loc
    }
    return
  }
  if (P_kind == "-e") { ENABLE = P_enable; ENABLE_LOC = loc; return }
  if (P_kind != "-a" && P_kind != "-A" && P_kind != "-w") return
  if (P_list == "task" && P_action == "never") { TASK_NEVER = TASK_NEVER (TASK_NEVER == "" ? "" : ", ") loc; return }
  if (P_list == "exclude" && P_action == "always" && (P_msgtype == "" || P_msgtype ~ /^(SYSCALL|PATH|CWD|EXECVE)$/)) {
    EXCLUDED = EXCLUDED (EXCLUDED == "" ? "" : ", ") loc; return
  }
  if (P_list != "exit") return
  r = ++NR_E
  SEQ++
  E_ord[r] = (P_kind == "-A") ? -SEQ : SEQ
  E_loc[r] = loc; E_action[r] = P_action; E_arch[r] = P_arch; E_sys[r] = P_sys; E_path[r] = P_path
  E_pkind[r] = P_pkind; E_perm[r] = P_perm; E_key[r] = P_key; E_filters[r] = P_filters
  E_sig[r] = "exit" SUBSEP P_action SUBSEP P_arch SUBSEP P_sys SUBSEP P_path SUBSEP P_pkind SUBSEP P_perm SUBSEP P_filters
}
function under(path, top) { return path == top || top == "/" || index(path, top "/") == 1 }
function has_sys(list, sc) { return list == "*" || index("," list ",", "," sc ",") > 0 }
function perm_ok(have, want,   i) {
  if (have == "") return 1
  for (i = 1; i <= length(want); i++) if (index(have, substr(want, i, 1)) == 0) return 0
  return 1
}
# Filters of the present rule r that the requirement (QF: " f1 f2 ") does not have make r narrower.
function filters_ok(r, qf,   n, a, i, m, q) {
  n = split(E_filters[r], a, " ")
  for (i = 1; i <= n; i++) {
    if (index(qf, " " a[i] " ")) continue
    if (match(a[i], /^auid>=([0-9]+)$/, m) && match(qf, / auid>=([0-9]+) /, q) && m[1] + 0 <= q[1] + 0) continue
    return 0
  }
  return 1
}
function covers(r, sc) {
  if (E_action[r] != "always" || E_key[r] == "") return 0
  if (Q_pkind != "") {
    if (E_sys[r] != "*" || E_arch[r] != "") return 0
    if (E_pkind[r] == "path") { if (E_path[r] != Q_path) return 0 }
    else if (E_pkind[r] == "watch" || E_pkind[r] == "dir") { if (!under(Q_path, E_path[r])) return 0 }
    else return 0
    if (!perm_ok(E_perm[r], Q_perm)) return 0
  } else {
    if (E_pkind[r] != "" || E_arch[r] != Q_arch || !has_sys(E_sys[r], sc)) return 0
  }
  return filters_ok(r, Q_filters)
}
function suppresses(r, sc) {
  if (E_action[r] != "never") return 0
  if (Q_pkind != "") return (E_pkind[r] != "" && under(Q_path, E_path[r])) || (E_pkind[r] == "" && E_sys[r] == "*")
  return (E_arch[r] == "" || E_arch[r] == Q_arch) && has_sys(E_sys[r], sc)
}
# check(required line): "" when met, else the problem.
function check(text,   n, s, i, k, r, verdict) {
  parse(text)
  Q_pkind = P_pkind; Q_path = P_path; Q_perm = P_perm; Q_arch = P_arch; Q_filters = P_filters
  if (Q_pkind != "") s[1] = "*"
  n = (Q_pkind != "") ? 1 : split(P_sys, s, ",")
  for (i = 1; i <= n; i++) {
    verdict = "missing"
    for (k = 1; k <= NR_O; k++) {
      r = ORDER[k]
      if (covers(r, s[i])) { verdict = ""; break }
      if (suppresses(r, s[i])) { verdict = "suppressed by " E_loc[r]; break }
    }
    if (verdict == "missing") for (r = 1; r <= NR_E; r++) if (E_gone[r] != "" && covers(r, s[i])) { verdict = "removed by " E_gone[r]; break }
    if (verdict != "") return verdict
  }
  return ""
}
function finish(   r, k) {
  NR_O = 0
  PROCINFO["sorted_in"] = "@val_num_asc"
  for (r in E_ord) if (E_gone[r] == "") ORDER[++NR_O] = r
  delete PROCINFO["sorted_in"]
}'

# he_audit_rule_files VAR: VAR (array) becomes the rules.d files augenrules reads, in its order.
he_audit_rule_files() {
  local __arf=() __arf_rc=0
  he__he_audit_rule_files_fill "$@" || __arf_rc=$?
  he_set_array "$1" "${__arf[@]}"
  return "$__arf_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_audit_rule_files_fill fills __arf, a local of he_audit_rule_files, which copies it to $1.
he__he_audit_rule_files_fill() {
  __arf=()
  if [[ $HE_CACHE == 1 && -n ${HE_C_VAL[audit-rule-files]+x} ]]; then
    [[ -z ${HE_C_VAL[audit-rule-files]} ]] || mapfile -t __arf <<<"${HE_C_VAL[audit-rule-files]}"
    return 0
  fi
  if [[ -d $HE_ROOT/etc/audit/rules.d ]]; then
    local names=() name real
    mapfile -t names < <(find "$HE_ROOT/etc/audit/rules.d" -mindepth 1 -maxdepth 1 -name '*.rules' -printf '%f\n' |
      LC_ALL=C sort -V)
    for name in "${names[@]}"; do
      he_resolve real "/etc/audit/rules.d/$name"
      [[ -f $real ]] && __arf+=("$real")
    done
  fi
  if [[ $HE_CACHE == 1 ]]; then
    local IFS=$'\n'
    HE_C_VAL[audit-rule-files]="${__arf[*]}"
  fi
  return 0
}

# he_audit_rule_stream: "<location><TAB><rule>" for every rule line augenrules would load, in order.
he_audit_rule_stream() {
  local stream
  he_audit_rule_stream_get stream
  [[ -z $stream ]] || printf '%s\n' "$stream"
}

# he_audit_rule_stream_get VAR: VAR becomes that stream (as $(he_audit_rule_stream) would), read with one gawk
# (HE_CACHE: once per run).
he_audit_rule_stream_get() {
  if [[ $HE_CACHE == 1 && -n ${HE_C_VAL[audit-stream]+x} ]]; then
    printf -v "$1" '%s' "${HE_C_VAL[audit-stream]}"
    return 0
  fi
  local files=() __stream=""
  he_audit_rule_files files
  if [[ ${#files[@]} -gt 0 ]]; then
    # every file is $HE_ROOT/...: its location is the path on the node
    __stream=$(gawk -v rootlen="${#HE_ROOT}" 'FNR == 1 { src = substr(FILENAME, rootlen + 1) }
      /^[ \t]*(#|$)/ { next } { sub(/\r$/, ""); print src ":" FNR "\t" $0 }' "${files[@]}")
  fi
  [[ $HE_CACHE != 1 ]] || HE_C_VAL[audit-stream]=$__stream
  printf -v "$1" '%s' "$__stream"
}

# he_audit_loaded_stream: the rules loaded in the kernel (running system only).
he_audit_loaded_stream() {
  auditctl -l 2>/dev/null | gawk '/^No rules/ { next } { print "auditctl -l:" NR "\t" $0 }'
}

# he_audit_problems STREAM REQUIRED...: one line per required rule that STREAM (as above) does not meet:
# "<rule><TAB><missing | suppressed by LOC>", plus "*<TAB>..." lines for task,never and exclude rules.
he_audit_problems() {
  local stream=$1
  shift
  local required
  required=$(printf '%s\n' "$@")
  gawk -F '\t' -v req="$required" "$HE_AWK_AUDIT_RULES"'
    { loc = $1; text = $0; sub(/^[^\t]*\t/, "", text); add_rule(loc, text) }
    END {
      finish()
      if (TASK_NEVER != "") print "*\tsyscall auditing disabled by -a task,never at " TASK_NEVER
      if (EXCLUDED != "") print "*\tSYSCALL/PATH records dropped by an exclude rule at " EXCLUDED
      n = split(req, q, "\n")
      for (i = 1; i <= n; i++) { if (q[i] == "") continue; v = check(q[i]); if (v != "") print q[i] "\t" v }
    }' <<<"$stream"
}

# he_audit_rules_check VAR REQUIRED...: VAR becomes the problems on disk (and, on a running system, in the
# loaded rules), "" when every required rule is in effect.
he_audit_rules_check() {
  local __arc=$1
  shift
  local disk loaded out
  he_audit_rule_stream_get disk
  out=$(he_audit_problems "$disk" "$@")
  if he_live && [[ -z $out ]] && command -v auditctl >/dev/null; then
    loaded=$(he_audit_loaded_stream)
    out=$(he_audit_problems "$loaded" "$@" | gawk -F '\t' '{ print $1 "\t" $2 " in the loaded rules (auditctl -l)" }')
  fi
  printf -v "$__arc" '%s' "$out"
}

# he_audit_problems_text PROBLEMS: a short one-line summary for a detail.
# (Builtins only: each line is read as `gawk -F '\t'` splits it, $1 up to the first tab and $2 to the next.)
he_audit_problems_text() {
  local line f1 f2 n=0 s=""
  while IFS= read -r line; do
    n=$((n + 1))
    [[ $n -le 3 ]] || continue
    f1=${line%%$'\t'*}
    f2=""
    if [[ $line == *$'\t'* ]]; then f2=${line#*$'\t'}; f2=${f2%%$'\t'*}; fi
    [[ -z $s ]] || s+="; "
    if [[ $f1 == "*" ]]; then s+=$f2; else s+="$f2: $f1"; fi
  done <<<"$1"
  [[ $n -le 3 ]] || s+="; and $((n - 3)) more"
  printf '%s' "$s"
}

# he_audit_rules_apply FILE REQUIRED...: make every required rule effective: disable task,never, dropping
# exclude rules and suppressing never rules (commented out where they are), then add the missing rules to
# /etc/audit/rules.d/FILE (kept in its order, new ones appended). Loads the rules on a running system.
he_audit_rules_apply() {
  local file=/etc/audit/rules.d/$1
  shift
  local disk problems loc line f
  disk=$(he_audit_rule_stream)
  problems=$(he_audit_problems "$disk" "$@")
  # Neutralize what suppresses or removes (-W, -d) the required rules, bottom-up per file so line numbers stay valid.
  while IFS= read -r loc; do
    [[ -n $loc ]] || continue
    f=${loc%:*}
    line=${loc##*:}
    he_edit_file "$f" -v n="$line" -v id="$HE_CURRENT" \
      'FNR == n { print "# " $0 "  # disabled by CIS hardening " id " (suppresses required audit events)"; next } { print }'
  done < <(gawk -F '\t' '{ s = $2; sub(/^.* at /, "", s); sub(/^(suppressed|removed) by /, "", s)
      if ($2 ~ /^(missing)/) next
      n = split(s, a, /, /); for (i = 1; i <= n; i++) print a[i] }' <<<"$problems" | LC_ALL=C sort -u -t: -k1,1 -k2,2nr)
  disk=$(he_audit_rule_stream)
  problems=$(he_audit_problems "$disk" "$@")
  local missing=()
  mapfile -t missing < <(gawk -F '\t' '$1 != "*" && $2 == "missing" { print $1 }' <<<"$problems")
  if [[ ${#missing[@]} -gt 0 ]]; then
    local content=""
    if [[ -f $HE_ROOT$file ]]; then content=$(cat -- "$HE_ROOT$file"); fi
    [[ -n $content ]] || content="## CIS ${HE_CURRENT}: written by cis-harden.sh"
    for line in "${missing[@]}"; do
      grep -qxF -- "$line" <<<"$content" || content+=$'\n'"$line"
    done
    HE_NEW_MODE=0640 he_write_file "$file" "$content"
  fi
  he_audit_load
}

# he_audit_load: on a running system, load the rules from disk unless the kernel's rules are immutable.
he_audit_load() {
  he_live || return 0
  if auditctl -s 2>/dev/null | grep -q '^enabled 2'; then
    printf '%s: audit rules are immutable (-e 2) until reboot; the rules on disk take effect then\n' "$HE_CURRENT" >&2
    return 0
  fi
  augenrules --load >/dev/null
}

# he_target_arch: the machine architecture of the root (x86_64 or aarch64), from its kernel modules.
he_target_arch() {
  if he_live; then uname -m; return 0; fi
  local d
  for d in "$HE_ROOT"/usr/lib/modules/*; do
    case ${d##*/} in
      *.aarch64) printf aarch64; return 0 ;;
      *.x86_64) printf x86_64; return 0 ;;
    esac
  done
  printf x86_64
}

# he_uid_min: UID_MIN from the root's /etc/login.defs (1000 when unset).
# With HE_CACHE the value is read once (he_cache_prefill), since callers read it through $(he_uid_min).
he_uid_min() {
  local v=""
  if [[ $HE_CACHE == 1 && -n ${HE_C_VAL[uid-min]+x} ]]; then printf '%s' "${HE_C_VAL[uid-min]}"; return 0; fi
  [[ -f $HE_ROOT/etc/login.defs ]] && v=$(gawk '$1 == "UID_MIN" && $2 ~ /^[0-9]+$/ { v = $2 } END { print v }' "$HE_ROOT/etc/login.defs")
  [[ $HE_CACHE != 1 ]] || HE_C_VAL[uid-min]=${v:-1000}
  printf '%s' "${v:-1000}"
}
