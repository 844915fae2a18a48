# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# Local users and groups (section 6.2 of both CIS Amazon Linux 2023 v1.0.0 and Amazon Linux 2 v3.0.0: same ids,
# same checks). Each benchmark's section-6.sh maps its ids onto these he_users_* functions (MODE audit|apply).
# Accounts are read from the target's own /etc/passwd, /etc/shadow, /etc/group and /etc/gshadow; edits are
# atomic (he_edit_file keeps each file's owner and mode, so /etc/shadow stays 0000). Where the right fix needs a
# decision only a person can make (two different accounts sharing a UID), apply stops and names the accounts
# rather than guessing.

# he_ensure_secret_file PATH: create PATH mode 0000 root:root if missing (he_edit_file would use 0644).
he_ensure_secret_file() {
  [[ -e $HE_ROOT$1 ]] && return 0
  (umask 0777 && : >"$HE_ROOT$1")
  chown 0:0 -- "$HE_ROOT$1"
}

he_users_stop() {
  printf '%s: %s\n' "$HE_CURRENT" "$*" >&2
  return 1
}

# ---- 6.2.1 / 6.2.2 password fields ------------------------------------------------------------
he_users_passwords_shadowed() {
  local mode=$1 unshadowed
  unshadowed=$(gawk -F: 'NF > 1 && $2 != "x" { printf "%s ", $1 }' "$HE_ROOT/etc/passwd")
  if [[ $mode == audit ]]; then
    if [[ -z $unshadowed ]]; then he_pass "every /etc/passwd account uses the shadow file"; else he_fail "password field not 'x' for: ${unshadowed% }"; fi
    return 0
  fi
  # What pwconv does: move each password into /etc/shadow (a new entry when the account has none).
  he_ensure_secret_file /etc/shadow
  he_edit_file /etc/shadow -F: -v today=$(($(date +%s) / 86400)) '
    BEGIN { OFS = ":" }
    FNR == NR { if (NF > 1 && $2 != "x") { hash[$1] = $2; order[++n] = $1 } next }
    NF > 1 && ($1 in hash) { $2 = hash[$1]; done[$1] = 1 }
    { print }
    END { for (i = 1; i <= n; i++) if (!(order[i] in done)) print order[i], hash[order[i]], today, "", "", "", "", "", "" }' \
    "$HE_ROOT/etc/passwd"
  he_edit_file /etc/passwd -F: 'BEGIN { OFS = ":" } NF > 1 && $2 != "x" { $2 = "x" } { print }'
}

# An empty password field lets anyone log in as the account; locking ("!") keeps the account for
# services and for Session Manager (ssm-user never authenticates with a password).
he_users_no_empty_password() {
  local mode=$1 empty
  if [[ ! -f $HE_ROOT/etc/shadow ]]; then
    if [[ $mode == audit ]]; then he_fail "/etc/shadow does not exist"; return 0; fi
    he_users_stop "/etc/shadow does not exist: apply 6.2.1 (shadowed passwords) first"
  fi
  empty=$(gawk -F: 'NF > 1 && $2 == "" { printf "%s ", $1 }' "$HE_ROOT/etc/shadow")
  if [[ $mode == audit ]]; then
    if [[ -z $empty ]]; then he_pass "no empty password field in /etc/shadow"; else he_fail "empty password field: ${empty% }"; fi
    return 0
  fi
  he_edit_file /etc/shadow -F: 'BEGIN { OFS = ":" } NF > 1 && $2 == "" { $2 = "!" } { print }'
}

# ---- 6.2.3 primary groups ---------------------------------------------------------------------
he_users_primary_groups_exist() {
  local mode=$1 missing entry user gid
  missing=$(gawk -F: 'FNR == NR { g[$3] = 1; next } NF > 3 && !($4 in g) { printf "%s:%s ", $1, $4 }' \
    "$HE_ROOT/etc/group" "$HE_ROOT/etc/passwd")
  if [[ $mode == audit ]]; then
    if [[ -z $missing ]]; then he_pass "every primary group of /etc/passwd exists in /etc/group"; else he_fail "group missing for user:gid ${missing% }"; fi
    return 0
  fi
  # Recreate each missing group under the name of its first member, as useradd's user private groups do.
  local add="" add_g="" gids_done=" "
  for entry in $missing; do
    user=${entry%%:*} gid=${entry#*:}
    [[ $gids_done == *" $gid "* ]] && continue
    gids_done+="$gid "
    if gawk -F: -v n="$user" '$1 == n { f = 1 } END { exit !f }' "$HE_ROOT/etc/group"; then
      he_users_stop "gid $gid of $user has no group, and a group named $user already exists with another gid: decide which gid $user should have"
    fi
    add+="$user:x:$gid:"$'\n'
    add_g+="$user:!::"$'\n'
  done
  he_edit_file /etc/group -v add="$add" '{ print } END { printf "%s", add }'
  if [[ -f $HE_ROOT/etc/gshadow ]]; then
    he_edit_file /etc/gshadow -v add="$add_g" '{ print } END { printf "%s", add }'
  fi
}

# ---- 6.2.4 to 6.2.7 duplicates ----------------------------------------------------------------
# he_duplicates FILE FIELD: "key<TAB>names<TAB>same" for each value of FIELD held by several lines;
# same=1 when those lines are the same entry written twice (same name and id; groups may differ in members).
he_duplicates() {
  gawk -F: -v field="$2" '
    NF < 3 { next }
    { k = $field; n[k]++; names[k] = names[k] (n[k] > 1 ? "," : "") $1
      id = $1 ":" $3 (FILENAME ~ /passwd$/ ? ":" $0 : "")
      if (n[k] == 1) first[k] = id; else if (id != first[k]) diff[k] = 1 }
    END { for (k in n) if (n[k] > 1) printf "%s\t%s\t%d\n", k, names[k], !(k in diff) }' "$HE_ROOT$1" | LC_ALL=C sort
}

# he_merge_duplicate_entries FILE: drop later copies of an entry (same name and id), merging group members.
he_merge_duplicate_entries() {
  local file=$1
  [[ -f $HE_ROOT$file ]] || return 0
  he_edit_file "$file" -F: -v kind="${file##*/}" '
    BEGIN { OFS = ":" }
    NF < 3 { line[++n] = $0; next }
    { key = (kind == "gshadow" || kind == "shadow") ? $1 : $1 ":" $3 }
    key in at {
      if (kind == "group" || kind == "gshadow") {
        i = at[key]; split(line[i], f, ":")
        for (c = (kind == "group" ? 4 : 3); c <= 4; c++) {
          m = split($c, add, ","); for (j = 1; j <= m; j++)
            if (add[j] != "" && index("," f[c] ",", "," add[j] ",") == 0) f[c] = f[c] (f[c] == "" ? "" : ",") add[j]
        }
        line[i] = f[1] ":" f[2] ":" f[3] ":" f[4]
      }
      next
    }
    { line[++n] = $0; at[key] = n }
    END { for (i = 1; i <= n; i++) print line[i] }'
}

# he_dup_control MODE FILE FIELD WHAT ID-NAME: shared audit/apply of the four duplicate controls.
he_dup_control() {
  local mode=$1 file=$2 field=$3 what=$4 dups key names same ambiguous=() found=()
  dups=$(he_duplicates "$file" "$field")
  while IFS=$'\t' read -r key names same; do
    [[ -n $key ]] || continue
    found+=("$what $key: $names")
    [[ $same == 1 ]] || ambiguous+=("$what $key is held by different entries ($names)")
  done <<<"$dups"
  if [[ $mode == audit ]]; then
    local IFS=';'
    if [[ ${#found[@]} -eq 0 ]]; then he_pass "no duplicate ${what}s in $file"; else he_fail "${found[*]}"; fi
    return 0
  fi
  if [[ ${#ambiguous[@]} -gt 0 ]]; then
    local IFS=';'
    he_users_stop "${ambiguous[*]}: give each its own name and id (usermod/groupmod) and re-own its files, or exclude $HE_CURRENT"
  fi
  if [[ $file == /etc/passwd ]]; then
    he_merge_duplicate_entries /etc/passwd
    he_merge_duplicate_entries /etc/shadow
  else
    he_merge_duplicate_entries /etc/group
    he_merge_duplicate_entries /etc/gshadow
  fi
}


# ---- 6.2.8 root PATH --------------------------------------------------------------------------
# Every directory root's login PATH can contain, read where it is set: sudo's secure_path (the PATH of
# `sudo -i`, which the benchmark audits), ENV_SUPATH of login.defs, and the PATH assignments and pathmunge
# calls of the login scripts bash reads for root. Unresolvable pieces ($PATH itself, other variables) are
# skipped. Prints "file line entry" separated by \037 (entry "" for an empty element).
he_root_home() {
  gawk -F: '$1 == "root" { print $6; exit }' "$HE_ROOT/etc/passwd"
}

he_root_path_sources() {
  local home f files=()
  home=$(he_root_home)
  for f in "$HE_ROOT/etc/sudoers" "$HE_ROOT"/etc/sudoers.d/* "$HE_ROOT/etc/login.defs" "$HE_ROOT/etc/profile" \
    "$HE_ROOT"/etc/profile.d/*.sh "$HE_ROOT/etc/bashrc" "$HE_ROOT${home:-/root}/.bash_profile" \
    "$HE_ROOT${home:-/root}/.bash_login" "$HE_ROOT${home:-/root}/.profile" "$HE_ROOT${home:-/root}/.bashrc"; do
    if [[ -f $f ]]; then files+=("$f"); fi
  done
  [[ ${#files[@]} -gt 0 ]] || return 0
  gawk -v home="${home:-/root}" "$HE_AWK_PATH_LIB"'
    { v = path_value($0, FILENAME); if (v == "\001") next
      n = split(v, part, ":")
      for (i = 1; i <= n; i++) { e = expand(part[i]); if (e != "\001") printf "%s\037%d\037%s\n", FILENAME, FNR, e } }' \
    "${files[@]}" | LC_ALL=C sort -u -t $'\037' -k1,1 -k2,2n -k3
}

# gawk library: path_value(line, file) is the PATH value a line sets ("\001" when none); expand(entry)
# resolves $HOME and ~ ("\001" for an entry that cannot be resolved statically, like $PATH).
HE_AWK_PATH_LIB='
function unquote(s) { gsub(/^["\047]|["\047]$/, "", s); return s }
function path_value(line, file,   m) {
  if (line ~ /^[ \t]*#/) return "\001"
  if (file ~ /sudoers/) {
    if (match(line, /^[ \t]*Defaults.*[ \t,]secure_path[ \t]*=[ \t]*("[^"]*"|[^ \t,]+)/, m)) return unquote(m[1])
    return "\001"
  }
  if (file ~ /login\.defs$/) {
    if (match(line, /^[ \t]*ENV_SUPATH[ \t]+PATH=([^ \t]*)/, m)) return m[1]
    return "\001"
  }
  if (line ~ /pathmunge[ \t]*\(\)/) return "\001"  # the function definition
  if (match(line, /(^|[ \t;])pathmunge[ \t]+([^ \t;]+)/, m)) return unquote(m[2])
  if (match(line, /(^|[ \t;])(export[ \t]+)?PATH=("[^"]*"|\047[^\047]*\047|[^ \t;]*)/, m)) return unquote(m[3])
  return "\001"
}
function expand(e) {
  gsub(/\$\{HOME\}|\$HOME/, home, e); sub(/^~/, home, e)
  if (e ~ /\$/) return "\001"
  return e
}'

# he_root_path_problems: "file line entry problem fix" (\037-separated: entries may be empty) for each bad entry; fix is one of
# drop (take it out of that line), mkdir, chown, chmod.
he_root_path_problems() {
  local file line entry st uid_root
  uid_root=$(he_uid root)
  while IFS=$'\037' read -r file line entry; do
    [[ -n $file ]] || continue
    if [[ -z $entry ]]; then
      printf '%s\037%s\037%s\037%s\037%s\n' "$file" "$line" "$entry" "empty entry" drop
    elif [[ $entry != /* ]]; then
      printf '%s\037%s\037%s\037%s\037%s\n' "$file" "$line" "$entry" "relative entry '$entry'" drop
    elif [[ ! -e $HE_ROOT$entry ]]; then
      printf '%s\037%s\037%s\037%s\037%s\n' "$file" "$line" "$entry" "$entry does not exist" mkdir
    elif [[ ! -d $HE_ROOT$entry ]]; then
      printf '%s\037%s\037%s\037%s\037%s\n' "$file" "$line" "$entry" "$entry is not a directory" drop
    else
      st=$(stat -L -c '%u %a' -- "$HE_ROOT$entry")
      if (( 8#${st#* } & 8#1000 )); then
        # A shared scratch directory (/tmp) never belongs in root's PATH: leave its mode alone.
        printf '%s\037%s\037%s\037%s\037%s\n' "$file" "$line" "$entry" "$entry is a shared (sticky) directory" drop
      elif [[ ${st%% *} != "$uid_root" ]]; then
        printf '%s\037%s\037%s\037%s\037%s\n' "$file" "$line" "$entry" "$entry is not owned by root" chown
      elif (( 8#${st#* } & 8#022 )); then
        printf '%s\037%s\037%s\037%s\037%s\n' "$file" "$line" "$entry" "$entry is group or world writable" chmod
      fi
    fi
  done < <(he_root_path_sources)
}

# The PATH a root login shell really gets on a running system (the benchmark's `sudo -Hiu root env`).
he_root_login_path() {
  he_live || return 0
  local secure
  secure=$(gawk "$HE_AWK_PATH_LIB"'{ v = path_value($0, FILENAME); if (v != "\001") p = v } END { print p }' /etc/sudoers 2>/dev/null || true)
  env -i HOME="$(he_root_home)" USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb PATH="${secure:-/usr/sbin:/usr/bin}" \
    timeout 30 bash --login -c 'printf %s "$PATH"' </dev/null 2>/dev/null || true
}

he_users_root_path() {
  local mode=$1 problems live_path entry bad=() file line problem fix
  problems=$(he_root_path_problems)
  while IFS=$'\037' read -r file line entry problem fix; do
    if [[ -n $file ]]; then bad+=("$problem ($(he_rel "$file"):$line)"); fi
  done <<<"$problems"
  live_path=$(he_root_login_path)
  if [[ -n $live_path ]]; then
    if [[ $live_path == *::* || $live_path == :* || $live_path == *: ]]; then bad+=("root's login PATH '$live_path' has an empty entry"); fi
    local IFS=:
    for entry in $live_path; do
      [[ -z $entry || $entry == /* ]] || bad+=("root's login PATH has relative entry '$entry'")
    done
    unset IFS
  fi
  if [[ $mode == audit ]]; then
    local IFS=';'
    if [[ ${#bad[@]} -eq 0 ]]; then he_pass "every entry of root's PATH is an absolute, root-owned, non-writable directory"
    else he_fail "${bad[*]}"; fi
    return 0
  fi
  local home uid_root gid_root drops
  home=$(he_root_home)
  uid_root=$(he_uid root)
  gid_root=$(he_gid root)
  while IFS=$'\037' read -r file line entry problem fix; do
    [[ -n $file ]] || continue
    case $fix in
      mkdir)
        # A missing directory in root's PATH is a place anyone able to create it could plant commands.
        # Under root's home every new level is private; elsewhere the usual 0755.
        if [[ $entry == "${home:-/root}"/* ]]; then (umask 077 && mkdir -p -- "$HE_ROOT$entry"); else (umask 022 && mkdir -p -- "$HE_ROOT$entry"); fi
        chown "$uid_root:$gid_root" -- "$HE_ROOT$entry" ;;
      chown) chown "$uid_root" -- "$HE_ROOT$entry" ;;
      chmod) chmod go-w -- "$HE_ROOT$entry" ;;
    esac
  done <<<"$problems"
  # Entries to drop, per file: rewrite only the lines that set them.
  for file in $(printf '%s\n' "$problems" | gawk -F'\037' '$5 == "drop" { print $1 }' | LC_ALL=C sort -u); do
    drops=$(printf '%s\n' "$problems" | gawk -F'\037' -v f="$file" '$1 == f && $5 == "drop" { printf "%s\037%s\n", $2, $3 }')
    he_edit_file "$(he_rel "$file")" -v home="${home:-/root}" -v drops="$drops" -v id="$HE_CURRENT" "$HE_AWK_PATH_LIB"'
      BEGIN { n = split(drops, d, "\n"); for (i = 1; i <= n; i++) if (d[i] != "") { split(d[i], p, "\037"); bad[p[1], p[2]] = 1; lines[p[1]] = 1 } }
      !(FNR in lines) { print; next }
      /(^|[ \t;])pathmunge[ \t]/ { print "# " $0 "  # disabled by CIS hardening " id; next }
      { v = path_value($0, FILENAME); k = split(v, part, ":"); out = ""; sep = ""
        for (i = 1; i <= k; i++) { e = expand(part[i]); if (e != "\001" && ((FNR, e) in bad)) continue; out = out sep part[i]; sep = ":" }
        pos = index($0, v); print substr($0, 1, pos - 1) out substr($0, pos + length(v)) }'
  done
}

# ---- 6.2.9 UID 0 ------------------------------------------------------------------------------
# Another account with UID 0 is root under another name. It gets the highest free system UID: files it
# created stay owned by UID 0 (root), and the account keeps its name, group and home but loses root.
he_users_root_only_uid0() {
  local mode=$1 others
  others=$(gawk -F: 'NF > 2 && $3 == "0" && $1 != "root" { printf "%s ", $1 }' "$HE_ROOT/etc/passwd")
  if [[ $mode == audit ]]; then
    if [[ -n $others ]]; then he_fail "UID 0 besides root: ${others% }"
    elif ! gawk -F: '$1 == "root" && $3 == "0" { f = 1 } END { exit !f }' "$HE_ROOT/etc/passwd"; then he_fail "no root account with UID 0"
    else he_pass "root is the only UID 0 account"; fi
    return 0
  fi
  [[ -n $others ]] || he_users_stop "no root account with UID 0 in /etc/passwd: repair the account database by hand"
  local defs=$HE_ROOT/etc/login.defs
  [[ -f $defs ]] || defs=/dev/null
  he_edit_file /etc/passwd -F: '
    BEGIN { OFS = ":"; lo = 201; hi = 999 }
    ARGIND == 1 { if ($0 ~ /^[ \t]*SYS_UID_MIN[ \t]/) { split($0, w, /[ \t]+/); lo = w[2] + 0 }
                  if ($0 ~ /^[ \t]*SYS_UID_MAX[ \t]/) { split($0, w, /[ \t]+/); hi = w[2] + 0 }; next }
    ARGIND == 2 { used[$3] = 1; next }
    NF > 2 && $3 == "0" && $1 != "root" { for (u = hi; u >= lo && (u in used); u--); if (u < lo) { print "no free system uid" > "/dev/stderr"; exit 1 }
      used[u] = 1; $3 = u }
    { print }' "$defs" "$HE_ROOT/etc/passwd"
}

# ---- 6.2.10 / 6.2.11 interactive users' homes ---------------------------------------------------
# he_interactive_users: "name uid gid home shared" (\037-separated) for accounts whose shell is a login shell
# of /etc/shells (not nologin); shared=1 when another such account has the same home.
he_interactive_users() {
  local shells=$HE_ROOT/etc/shells
  [[ -f $shells ]] || shells=/dev/null
  gawk -F: -v have_shells="$([[ $shells == /dev/null ]] && echo 0 || echo 1)" '
    ARGIND == 1 { if ($0 ~ /^\// && $0 !~ /nologin$/) ok[$0] = 1; next }
    NF < 7 { next }
    { sh = $7; login = have_shells ? (sh in ok) : (sh != "" && sh !~ /(nologin|false|sync|shutdown|halt)$/) }
    login { n++; name[n] = $1; uid[n] = $3; gid[n] = $4; home[n] = $6; count[$6]++ }
    END { for (i = 1; i <= n; i++) printf "%s\037%s\037%s\037%s\037%d\n", name[i], uid[i], gid[i], home[i], (count[home[i]] > 1) }' \
    "$shells" "$HE_ROOT/etc/passwd"
}

# A home that is a system directory (or escapes the root through a link) is never chowned or chmodded.
he_home_unsafe() {
  local home=$1 real
  [[ $home =~ ^/(bin|boot|dev|etc|lib|lib64|opt|proc|run|sbin|srv|sys|tmp|usr|var)?/?$ ]] && return 0
  [[ $home == /* ]] || return 0
  if [[ -n $HE_ROOT ]]; then
    real=$(readlink -m -- "$HE_ROOT$home")
    [[ $real == "$HE_ROOT"/* ]] || return 0
  fi
  return 1
}

he_users_interactive_homes() {
  local mode=$1 name uid gid home shared st bad=() homes_ok=0
  while IFS=$'\037' read -r name uid gid home shared; do
    [[ -n $name ]] || continue
    if [[ $shared == 1 ]] || he_home_unsafe "$home"; then
      [[ $mode == audit ]] || he_users_stop "$name's home '$home' is shared or a system directory: give $name its own home"
      bad+=("$name: home '$home' is shared or a system directory")
      continue
    fi
    if [[ ! -d $HE_ROOT$home ]]; then
      if [[ $mode == audit ]]; then bad+=("$name: home $home does not exist"); continue; fi
      [[ ! -e $HE_ROOT$home ]] || he_users_stop "$name's home $home exists but is not a directory"
      mkdir -p -- "$HE_ROOT$home"
      chown "$uid:$gid" -- "$HE_ROOT$home"
      chmod 0750 -- "$HE_ROOT$home"
      continue
    fi
    st=$(stat -c '%u %a' -- "$HE_ROOT$home")
    # CIS's audit checks the owner only (and the mode); a home given back to its user also gets the user's primary
    # group, so it does not stay in the group of whoever owned it (root's, on a home created by hand).
    if [[ ${st%% *} != "$uid" ]]; then
      if [[ $mode == audit ]]; then bad+=("$name: $home owned by uid ${st%% *}"); else chown "$uid:$gid" -- "$HE_ROOT$home"; fi
    fi
    if (( 8#${st#* } & 8#027 )); then
      if [[ $mode == audit ]]; then bad+=("$name: $home mode ${st#* } (more than 750)"); else chmod g-w,o-rwx -- "$HE_ROOT$home"; fi
    fi
    homes_ok=$((homes_ok + 1))
  done < <(he_interactive_users)
  if [[ $mode == audit ]]; then
    local IFS=';'
    if [[ ${#bad[@]} -gt 0 ]]; then he_fail "${bad[*]}"; else he_pass "$homes_ok interactive users: homes exist, are their own, mode 750 or less"; fi
  fi
}

# Dot files in interactive users' homes: .forward and .rhosts/.shosts must not exist (mail forwarding to
# run programs, rsh trust); .netrc and .bash_history at most 0600, others at most 0644; all owned by the
# user and the user's primary group.
he_users_interactive_dot_files() {
  local mode=$1 name uid gid home shared file fmode fuid fgid max bad=() checked=0
  while IFS=$'\037' read -r name uid gid home shared; do
    [[ -n $name && $shared == 0 && -d $HE_ROOT$home ]] || continue
    he_home_unsafe "$home" && continue
    while IFS=$'\t' read -r file fmode fuid fgid; do
      [[ -n $file ]] || continue
      checked=$((checked + 1))
      case $file in
        .forward | .rhosts | .shosts)
          if [[ $mode == audit ]]; then bad+=("$home/$file exists"); else rm -f -- "$HE_ROOT$home/$file"; fi
          continue ;;
        .netrc | .bash_history) max=0600 ;;
        *) max=0644 ;;
      esac
      [[ -L $HE_ROOT$home/$file ]] && continue
      if (( 8#$fmode & ~8#$max & 8#7777 )); then
        if [[ $mode == audit ]]; then bad+=("$home/$file mode $fmode (more than ${max#0})"); else chmod "$(printf '%o' $((8#$fmode & 8#$max)))" -- "$HE_ROOT$home/$file"; fi
      fi
      if [[ $fuid != "$uid" || $fgid != "$gid" ]]; then
        if [[ $mode == audit ]]; then bad+=("$home/$file owned by $fuid:$fgid, not $name ($uid:$gid)"); else chown "$uid:$gid" -- "$HE_ROOT$home/$file"; fi
      fi
    done < <(find "$HE_ROOT$home" -mindepth 1 -maxdepth 1 -name '.*' \( -type f -o -type l \) -printf '%f\t%m\t%U\t%G\n')
  done < <(he_interactive_users)
  if [[ $mode == audit ]]; then
    local IFS=';'
    if [[ ${#bad[@]} -gt 0 ]]; then he_fail "${bad[*]}"; else he_pass "$checked dot files of interactive users are private and their own"; fi
  fi
}
