# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016,SC2034  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# Helpers shared by every family: paths under the root, atomic edits, users, and readers of the
# effective configuration (config directories with vendor/admin precedence, systemd units, kernel args).
# Every path argument is a path on the target system ("/etc/fstab"); helpers prefix the root.

# bash < 4.4 (Amazon Linux 2 ships 4.2.46) treats "${a[@]}" of an empty array as an unset variable under
# `set -u`, an idiom used throughout; there nounset is turned off (bash 4.4+ keeps the script's `set -u`).
if ((BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4)); then set +u; fi

# ---- per-run caches ----------------------------------------------------------------------------
# An audit (and apply --dry-run) changes nothing, so what it reads once stays true for the whole run: with
# HE_CACHE=1 (set by he_main for those runs only) link targets, resolved paths, effective file lists, parsed
# account databases and other parsed files are kept for the run. apply never caches: it reads after it writes.
# A cache lives in the shell that filled it; he_cache_prefill fills, before the control loop, the ones that
# callers read through $(...) (a subshell's cache would be lost with it).
HE_CACHE=0
declare -A HE_C_LINK=() HE_C_RESOLVE=() HE_C_CONF=() HE_C_INI=() HE_C_VAL=() HE_C_UID=() HE_C_GID=()
declare -A HE_C_UNIT_LINKS=() HE_C_STAT=() HE_C_STAT_DIR=()

# he_cache_reset: forget everything cached (the account databases included).
he_cache_reset() {
  HE_C_LINK=() HE_C_RESOLVE=() HE_C_CONF=() HE_C_INI=() HE_C_VAL=() HE_C_UID=() HE_C_GID=()
  HE_C_UNIT_LINKS=() HE_C_STAT=() HE_C_STAT_DIR=()
}

# he_cache_prefill: (HE_CACHE=1) parse what is read through command substitutions: the root's /etc/passwd and
# /etc/group (he_uid, he_gid) and UID_MIN. Never fails: a database that cannot be read is left to the readers' own errors.
he_cache_prefill() {
  [[ $HE_CACHE == 1 ]] || return 0
  he__load_ids passwd || true
  he__load_ids group || true
  # configuration lists that readers build inside $(...) or <(...): sysctl.d in the orders systemd-sysctl and
  # procps read it (families/sysctl.sh), and the /etc/sysctl.conf procps adds
  local files=() real
  he_conf_files files sysctl.d /etc /run /usr/local/lib /usr/lib /lib || true
  he_conf_files files sysctl.d /run /etc /usr/local/lib /usr/lib /lib || true
  he_resolve real /etc/sysctl.conf || true
  # lib/audit_rules.sh: UID_MIN, read through $(he_uid_min) by the audit-rule controls
  if declare -F he_uid_min >/dev/null; then he_uid_min >/dev/null 2>&1 || true; fi
}

# he__load_ids passwd|group: HE_C_UID or HE_C_GID maps each name of the root's /etc/passwd or /etc/group to the
# third field of its first line, as `gawk -F: '$1 == n { print $3; exit }'` reads it; HE_C_VAL[passwd|group]
# records that the table is loaded. Status 1 (nothing loaded) when the file cannot be read.
he__load_ids() {
  local f=$HE_ROOT/etc/$1 name id line
  [[ -f $f && -r $f ]] || return 1
  local -A seen=()
  while IFS= read -r line || [[ -n $line ]]; do
    name=${line%%:*}
    [[ -n $name && -z ${seen[$name]+x} ]] || continue
    seen[$name]=1
    id=""
    if [[ $line == *:*:* ]]; then id=${line#*:}; id=${id#*:}; id=${id%%:*}; fi
    if [[ $1 == passwd ]]; then HE_C_UID[$name]=$id; else HE_C_GID[$name]=$id; fi
  done <"$f"
  HE_C_VAL[$1]=1
}

# he_resolve VAR PATH: VAR becomes the file PATH designates under the root, following every symlink on the
# way (directories too) as the node would with the root as `/`: an absolute target is re-rooted and `..` stops
# at the root, so nothing outside the root is ever read or written through a link. Components that do not
# exist are kept as they are. "/dev/null" for a link to /dev/null (a masked unit).
he_resolve() {
  if [[ $HE_CACHE == 1 && -n $2 && -n ${HE_C_RESOLVE[$2]+x} ]]; then
    printf -v "$1" '%s' "${HE_C_RESOLVE[$2]}"
    return 0
  fi
  local __out=$1 __rest=$2 __done="" __c __t __hops=0
  while [[ -n $__rest ]]; do
    while [[ $__rest == /* ]]; do __rest=${__rest#/}; done
    [[ -n $__rest ]] || break
    __c=${__rest%%/*}
    if [[ $__rest == */* ]]; then __rest=${__rest#*/}; else __rest=""; fi
    case $__c in
      .) continue ;;
      ..) __done=${__done%/*}; continue ;;
    esac
    if [[ -L $HE_ROOT$__done/$__c && $__hops -lt 40 ]]; then
      __hops=$((__hops + 1))
      if [[ $HE_CACHE == 1 && -n ${HE_C_LINK[$HE_ROOT$__done/$__c]+x} ]]; then
        __t=${HE_C_LINK[$HE_ROOT$__done/$__c]}
      else
        __t=$(readlink -- "$HE_ROOT$__done/$__c")
        [[ $HE_CACHE != 1 ]] || HE_C_LINK[$HE_ROOT$__done/$__c]=$__t
      fi
      if [[ $__t == /dev/null ]]; then
        if [[ -z $__rest ]]; then
          [[ $HE_CACHE != 1 || -z $2 ]] || HE_C_RESOLVE[$2]=/dev/null
          printf -v "$__out" '%s' /dev/null
          return 0
        fi
        __t=$__c  # a path below /dev/null: leave it unresolved (it does not exist)
      fi
      [[ $__t != /* ]] || __done=""
      __rest=$__t${__rest:+/$__rest}
    else
      __done+=/$__c
    fi
  done
  [[ $HE_CACHE != 1 || -z $2 ]] || HE_C_RESOLVE[$2]=$HE_ROOT${__done:-/}
  printf -v "$__out" '%s' "$HE_ROOT${__done:-/}"
}

# he_target VAR PATH: where a write to PATH goes: its directory resolved under the root (he_resolve); a final
# symlink is followed inside the root too, except a link to /dev/null, which is replaced (unmasking, as before).
he_target() {
  local __o=$1 __dir __real
  he_resolve __dir "${2%/*}"
  __dir=${__dir%/}
  if [[ -L $__dir/${2##*/} ]]; then
    he_resolve __real "$2"
    if [[ $__real != /dev/null ]]; then printf -v "$__o" '%s' "$__real"; return 0; fi
  fi
  printf -v "$__o" '%s' "$__dir/${2##*/}"
}

# he_inside REAL: the entry REAL (a host path about to be created, replaced or removed; a final link is the
# entry itself, not its target) lies inside the root; else a message and status 1.
he_inside() {
  he_live && return 0
  local real
  real=$(realpath -m -- "${1%/*}")/${1##*/}
  [[ $real == "$HE_ROOT" || $real == "$HE_ROOT"/* ]] && return 0
  printf '%s: refusing to write %s: it leads outside the root %s\n' "$HE_CURRENT" "$1" "$HE_ROOT" >&2
  return 1
}

# Numeric uid/gid of a user/group name, from the root's own /etc/passwd and /etc/group (status 1 if absent).
he_uid() {
  if [[ $HE_CACHE == 1 && -n $1 && -n ${HE_C_VAL[passwd]+x} ]]; then
    [[ -n ${HE_C_UID[$1]+x} ]] || return 1
    printf '%s\n' "${HE_C_UID[$1]}"
    return 0
  fi
  gawk -F: -v n="$1" '$1 == n { print $3; f = 1; exit } END { if (!f) exit 1 }' "$HE_ROOT/etc/passwd"
}
he_gid() {
  if [[ $HE_CACHE == 1 && -n $1 && -n ${HE_C_VAL[group]+x} ]]; then
    [[ -n ${HE_C_GID[$1]+x} ]] || return 1
    printf '%s\n' "${HE_C_GID[$1]}"
    return 0
  fi
  gawk -F: -v n="$1" '$1 == n { print $3; f = 1; exit } END { if (!f) exit 1 }' "$HE_ROOT/etc/group"
}
# he_uid_get VAR NAME / he_gid_get VAR NAME: the same into VAR, without a subshell (status 1 if absent).
he_uid_get() {
  local __id
  if [[ $HE_CACHE == 1 && -n $2 && -n ${HE_C_VAL[passwd]+x} ]]; then
    [[ -n ${HE_C_UID[$2]+x} ]] || return 1
    __id=${HE_C_UID[$2]}
  else
    __id=$(he_uid "$2") || return 1
  fi
  printf -v "$1" '%s' "$__id"
}
he_gid_get() {
  local __id
  if [[ $HE_CACHE == 1 && -n $2 && -n ${HE_C_VAL[group]+x} ]]; then
    [[ -n ${HE_C_GID[$2]+x} ]] || return 1
    __id=${HE_C_GID[$2]}
  else
    __id=$(he_gid "$2") || return 1
  fi
  printf -v "$1" '%s' "$__id"
}

# he_stat VAR PATH: VAR becomes "<octal mode> <uid> <gid>" of PATH (a host path; a final link is the link itself),
# as `stat -c '%a %u %g'` prints it; stat's message and status 1 when it cannot. With HE_CACHE one find reads a
# directory's entries the first time one of them is asked for.
he_stat() {
  local __p=$2 __d __line __m __u __g __st
  if [[ $HE_CACHE == 1 && $__p == /*/* ]]; then
    __d=${__p%/*}
    if [[ -z ${HE_C_STAT_DIR[$__d]+x} ]]; then
      HE_C_STAT_DIR[$__d]=1
      while IFS= read -r -d '' __line; do
        __m=${__line%% *}; __line=${__line#* }
        __u=${__line%% *}; __line=${__line#* }
        __g=${__line%% *}
        HE_C_STAT[${__line#* }]="$__m $__u $__g"
      done < <(find "$__d" -mindepth 1 -maxdepth 1 -printf '%m %U %G %p\0' 2>/dev/null || true)
    fi
    if [[ -n ${HE_C_STAT[$__p]+x} ]]; then
      printf -v "$1" '%s' "${HE_C_STAT[$__p]}"
      return 0
    fi
  fi
  __st=$(stat -c '%a %u %g' -- "$__p") || return 1
  printf -v "$1" '%s' "$__st"
}

he_mkdir() {
  local dir
  he_resolve dir "$1"
  [[ -d $dir ]] && return 0
  he_inside "$dir"
  mkdir -p -- "$dir"
  chmod 0755 -- "$dir"
}

# he_mktemp VAR DIR: VAR becomes a new temporary file DIR/.cis-harden.XXXXXX (DIR is a real path), recorded in
# $HE_TMP/pending so that the runtime removes it if the control stops before the file is renamed into place.
he_mktemp() {
  local __t
  __t=$(mktemp "$2/.cis-harden.XXXXXX")
  [[ -z $HE_TMP ]] || printf '%s\n' "$__t" >>"$HE_TMP/pending"
  printf -v "$1" '%s' "$__t"
}

# he_install_tmp TMP DEST: atomically replace DEST with TMP unless identical; keeps DEST's owner, mode
# and SELinux label. New files get root:root and the mode in HE_NEW_MODE (default 0644).
he_install_tmp() {
  local tmp=$1 dest=$2
  if [[ -f $dest && ! -L $dest ]]; then
    if [[ $(cksum <"$tmp") == $(cksum <"$dest") ]]; then
      rm -f -- "$tmp"
      return 0
    fi
    chmod --reference="$dest" -- "$tmp"
    chown --reference="$dest" -- "$tmp"
    if he_live; then chcon --reference="$dest" -- "$tmp" 2>/dev/null || true; fi
  else
    chmod "${HE_NEW_MODE:-0644}" -- "$tmp"
    chown 0:0 -- "$tmp"
  fi
  he_inside "$dest"
  [[ -z ${HE_FAULT_AT_WRITE:-} ]] || he_fault_point
  mv -fT -- "$tmp" "$dest"  # -T: a directory in DEST's place is an error, not a place to move TMP into
}

# he_fault_point: test hook (tests/hardening/test_convergence.py): with HE_FAULT_AT_WRITE=N the whole run is
# killed (SIGKILL, no trap runs) just before its Nth file replacement, as a power cut or a timeout would.
he_fault_point() {
  local n=0
  [[ ! -f $HE_TMP/writes ]] || read -r n <"$HE_TMP/writes"
  n=$((n + 1))
  printf '%s\n' "$n" >"$HE_TMP/writes"
  if [[ $n -eq $HE_FAULT_AT_WRITE ]]; then kill -KILL "$$"; fi
}

# he_write_file PATH CONTENT: PATH holds exactly CONTENT (a trailing newline is added).
he_write_file() {
  local dest tmp
  he_mkdir "${1%/*}"
  he_target dest "$1"
  he_mktemp tmp "${dest%/*}"
  printf '%s\n' "$2" >"$tmp"
  he_install_tmp "$tmp" "$dest"
}

# he_edit_file PATH GAWK-ARGS...: rewrite PATH through gawk (program and -v options as given). A missing PATH
# is read as empty and created like he_write_file does (root:root, HE_NEW_MODE).
he_edit_file() {
  local dest tmp src
  he_mkdir "${1%/*}"
  he_target dest "$1"
  shift
  src=$dest
  [[ -f $dest ]] || src=/dev/null
  he_mktemp tmp "${dest%/*}"
  gawk "$@" "$src" >"$tmp"
  he_install_tmp "$tmp" "$dest"
}

# he_file_has PATH REGEX: PATH (under the root) exists and has a line matching the extended REGEX.
he_file_has() {
  local f=$HE_ROOT$1
  [[ -f $f ]] && grep -Eq -- "$2" "$f"
}

# he_set_array NAME [VALUE ...]: the array NAME (a local of a caller, or a global) becomes exactly VALUE...
# bash 4.2 (Amazon Linux 2) has no namerefs (`local -n`); read -a empties NAME in the caller's scope (unset
# would drop the caller's local) and printf -v sets each element.
he_set_array() {
  local __sa_name=$1 __sa_i=0 __sa_v
  shift
  read -r -a "${__sa_name?}" <<<''
  for __sa_v in "$@"; do
    printf -v "${__sa_name}[$__sa_i]" '%s' "$__sa_v"
    __sa_i=$((__sa_i + 1))
  done
}

# he_conf_files VAR SUBDIR [DIR ...]: VAR (an array) becomes the effective *.conf files of SUBDIR in the
# order they are read: a file name in an earlier DIR shadows the same name in later ones (a link to
# /dev/null masks it); the result is sorted by file name. Default dirs: /etc /run /usr/local/lib /usr/lib.
he_conf_files() {
  local __files=() __files_rc=0
  he__he_conf_files_fill "$@" || __files_rc=$?
  he_set_array "$1" "${__files[@]}"
  return "$__files_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_conf_files_fill fills __files, a local of he_conf_files, which copies it to $1.
he__he_conf_files_fill() {
  local subdir=$2 dir f name real key
  shift 2
  local dirs=("$@")
  [[ ${#dirs[@]} -gt 0 ]] || dirs=(/etc /run /usr/local/lib /usr/lib)
  __files=()
  if [[ $HE_CACHE == 1 ]]; then
    printf -v key '%s\037' "$subdir" "${dirs[@]}"
    if [[ -n ${HE_C_CONF[$key]+x} ]]; then
      [[ -z ${HE_C_CONF[$key]} ]] || mapfile -t __files <<<"${HE_C_CONF[$key]}"
      return 0
    fi
  fi
  local -A seen=()
  local names=() reals=() rdir i j n
  for dir in "${dirs[@]}"; do
    he_resolve rdir "$dir/$subdir"
    for f in "$rdir"/*.conf; do
      [[ -e $f || -L $f ]] || continue
      name=${f##*/}
      [[ -n ${seen[$name]+x} ]] && continue
      seen[$name]=1
      he_resolve real "$dir/$subdir/$name"
      [[ $real == /dev/null || ! -f $real ]] && continue
      # insertion by file name, bytewise (LC_ALL=C, as `LC_ALL=C sort` orders them); names are unique
      n=${#names[@]}
      for ((i = n; i > 0; i--)); do
        [[ ${names[i - 1]} > $name ]] || break
        names[i]=${names[i - 1]}
        reals[i]=${reals[i - 1]}
      done
      names[i]=$name
      reals[i]=$real
    done
  done
  [[ ${#reals[@]} -eq 0 ]] || __files=("${reals[@]}")
  if [[ $HE_CACHE == 1 ]]; then
    local IFS=$'\n'
    HE_C_CONF[$key]="${__files[*]}"
  fi
  return 0
}

# he_neutralize_line FILE LINE ADMIN-DIR: comment out line LINE of FILE (a path under the root). A vendor file
# outside /etc is not edited: a copy with the line commented out shadows it from ADMIN-DIR.
he_neutralize_line() {
  local file=$1 line=$2 admin_dir=$3 rel
  rel=$(he_rel "$file")
  if [[ $rel != /etc/* ]]; then
    he_mkdir "$admin_dir"
    local copy
    he_target copy "$admin_dir/${rel##*/}"
    he_inside "$copy"
    cp -p -- "$file" "$copy"
    rel=$admin_dir/${rel##*/}
  fi
  he_edit_file "$rel" -v n="$line" -v id="$HE_CURRENT" 'FNR == n { print "# " $0 "  # disabled by CIS hardening " id; next } { print }'
}

# he_rel PATH: PATH without the root prefix, for messages.
he_rel() { printf '%s' "${1#"$HE_ROOT"}"; }

# he_report_bad OK_TEXT: pass with OK_TEXT when the caller's array `bad` is empty, else fail with its items.
he_report_bad() {
  local IFS=';'
  if [[ ${#bad[@]} -eq 0 ]]; then he_pass "$1"; else he_fail "${bad[*]}"; fi
}

# ---- systemd units ----------------------------------------------------------------------------
# systemd's system unit path; /lib/systemd/system only matters on a root whose /lib is not a link to /usr/lib.
HE_UNIT_DIRS=(/etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system
  /lib/systemd/system)

# he_unit_file VAR UNIT: VAR becomes the unit's file under the root, "masked", or "" if absent.
he_unit_file() {
  local __out=$1 __unit=$2 __dir __real
  for __dir in "${HE_UNIT_DIRS[@]}"; do
    if [[ -e $HE_ROOT$__dir/$__unit || -L $HE_ROOT$__dir/$__unit ]]; then
      he_resolve __real "$__dir/$__unit"
      if [[ $__real == /dev/null ]]; then printf -v "$__out" masked; else printf -v "$__out" '%s' "$__real"; fi
      return 0
    fi
  done
  printf -v "$__out" '%s' ''  # bash 4.2: an empty format assigns nothing
}

# he_unit_enabled UNIT: a .wants/ or .requires/ link for UNIT exists and the unit is not masked.
he_unit_enabled() {
  local unit=$1 file dir
  he_unit_file file "$unit"
  [[ -n $file && $file != masked ]] || return 1
  if [[ $HE_CACHE == 1 ]]; then
    # one find for the run: the names of every .wants/ and .requires/ entry of the unit directories
    if [[ -z ${HE_C_VAL[unit-links]+x} ]]; then
      local dirs=() names=() name
      for dir in "${HE_UNIT_DIRS[@]}"; do [[ ! -d $HE_ROOT$dir ]] || dirs+=("$HE_ROOT$dir"); done
      if [[ ${#dirs[@]} -gt 0 ]]; then
        mapfile -t names < <(find "${dirs[@]}" -mindepth 2 -maxdepth 2 \( -path '*.wants/*' -o -path '*.requires/*' \) \
          -printf '%f\n' 2>/dev/null || true)
      fi
      for name in "${names[@]}"; do [[ -z $name ]] || HE_C_UNIT_LINKS[$name]=1; done
      HE_C_VAL[unit-links]=1
    fi
    [[ -n ${HE_C_UNIT_LINKS[$unit]+x} ]]
    return
  fi
  for dir in "${HE_UNIT_DIRS[@]}"; do
    [[ -d $HE_ROOT$dir ]] || continue
    if [[ -n $(find "$HE_ROOT$dir" -mindepth 2 -maxdepth 2 -name "$unit" \( -path '*.wants/*' -o -path '*.requires/*' \) \
      -print -quit) ]]; then
      return 0
    fi
  done
  return 1
}

# he_unit_masked UNIT
he_unit_masked() {
  local file
  he_unit_file file "$1"
  [[ $file == masked ]]
}

# he_ini_value VAR SECTION KEY FILE...: VAR becomes the last value of KEY in [SECTION] across FILEs ("" if none).
# A FILE that does not exist sets nothing (a node may lack a file the fixture has, such as dnf.conf).
he_ini_value() {
  local __out=$1 __section=$2 __key=$3 __value="" __f __files=()
  HE_INI_LOC=""
  shift 3
  for __f in "$@"; do [[ -f $__f ]] && __files+=("$__f"); done
  set -- ${__files[@]+"${__files[@]}"}
  local __ck=""
  if [[ $HE_CACHE == 1 && $# -gt 0 ]]; then
    printf -v __ck '%s\037' "$__section" "$__key" "$@"
    if [[ -n ${HE_C_INI[$__ck]+x} ]]; then
      __value=${HE_C_INI[$__ck]}
      HE_INI_LOC=${__value#*$'\t'}
      printf -v "$__out" '%s' "${__value%%$'\t'*}"
      return 0
    fi
  fi
  if [[ $# -gt 0 ]]; then
    __value=$(gawk -v sect="[$__section]" -v key="$__key" '
      /^[ \t]*[#;]/ { next }
      /^[ \t]*\[/ { cur = $0; gsub(/[ \t]/, "", cur); next }
      cur == sect {
        line = $0; sub(/^[ \t]+/, "", line)
        k = line; sub(/[ \t]*=.*/, "", k)
        if (k != key || line !~ /=/) next
        v = line; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t\r]+$/, "", v)
        val = v; loc = FILENAME ":" FNR
      }
      END { printf "%s\t%s", val, loc }' "$@")
    [[ -z $__ck ]] || HE_C_INI[$__ck]=$__value
  fi
  HE_INI_LOC=${__value#*$'\t'}
  printf -v "$__out" '%s' "${__value%%$'\t'*}"
}

# he_ini_set PATH SECTION KEY VALUE: set KEY=VALUE in [SECTION] of PATH (created if missing), keeping the rest.
he_ini_set() {
  he_edit_file "$1" -v sect="[$2]" -v key="$3" -v val="$4" '
    /^[ \t]*\[/ { if (cur == sect && !done) { print key "=" val; done = 1 }
                  cur = $0; gsub(/[ \t]/, "", cur); if (cur == sect) seen = 1; print; next }
    cur == sect && !/^[ \t]*[#;]/ { k = $0; sub(/^[ \t]+/, "", k); sub(/[ \t]*=.*/, "", k)
      if (k == key) { if (!done) { print key "=" val; done = 1 }; next } }
    { print }
    END { if (!done) { if (!seen) print sect; print key "=" val } }'
}

# he_unit_setting VAR UNIT SECTION KEY: VAR becomes the effective value of KEY in [SECTION] of UNIT after
# its drop-ins (later assignments replace earlier ones; an empty assignment resets). "" when unset.
he_unit_setting() {
  local __uv=$1 unit=$2 section=$3 key=$4 file files=()
  he_unit_file file "$unit"
  if [[ -n $file && $file != masked ]]; then files+=("$file"); fi
  local dropins=()
  he_conf_files dropins "$unit.d" "${HE_UNIT_DIRS[@]}"
  files+=("${dropins[@]}")
  he_ini_value "$__uv" "$section" "$key" "${files[@]}"
}

# he_unit_enable UNIT TARGET: enable UNIT for TARGET (unmasking it first).
he_unit_enable() {
  local unit=$1 target=$2 file dir
  he_resolve dir /etc/systemd/system
  if [[ -L $dir/$unit ]] && [[ $(readlink -- "$dir/$unit") == /dev/null ]]; then
    he_inside "$dir/$unit"
    rm -f -- "$dir/$unit"
  fi
  he_unit_file file "$unit"
  if [[ -z $file ]] && ! he_live; then
    he_defer "$unit is not installed under this root: install its package and enable it on the running system"
    return 0
  fi
  [[ -n $file && $file != masked ]] || { printf '%s: unit %s not found\n' "$HE_CURRENT" "$unit" >&2; return 1; }
  if he_live; then
    systemctl unmask "$unit" >/dev/null
    systemctl enable "$unit"
    systemctl start "$unit"
  else
    he_mkdir "/etc/systemd/system/$target.wants"
    he_resolve dir "/etc/systemd/system/$target.wants"
    he_inside "$dir/$unit"
    ln -sfn -- "${file#"$HE_ROOT"}" "$dir/$unit"
  fi
}

# he_unit_mask UNIT: mask (and on a running system stop) UNIT.
he_unit_mask() {
  local unit=$1
  if he_live; then
    systemctl mask --now "$unit"
  else
    local dir
    he_mkdir /etc/systemd/system
    he_resolve dir /etc/systemd/system
    he_inside "$dir/$unit"
    rm -f -- "$dir/$unit"
    ln -s /dev/null "$dir/$unit"
  fi
}

# ---- sub-checks folded into one status ---------------------------------------------------------
# he_collect: fold the status of a sub-check into the arrays `bad` and `ok` of the caller.
he_collect() {
  case $HE_STATUS in
    fail | deferred) bad+=("$HE_DETAIL") ;;
    pass) ok+=("$HE_DETAIL") ;;
  esac
}

# he_report_collected NA-TEXT: one status from the caller's `bad` and `ok`.
he_report_collected() {
  local IFS=';'
  if [[ ${#bad[@]} -gt 0 ]]; then he_fail "${bad[*]}"; elif [[ ${#ok[@]} -gt 0 ]]; then he_pass "${ok[*]}"; else he_na "$1"; fi
}

# ---- packages ---------------------------------------------------------------------------------
# Package presence is judged by files the package owns (readable on an offline root without rpm).
# he_any_exists PATH...: one of the paths exists under the root.
he_any_exists() {
  local p
  for p in "$@"; do
    [[ -e $HE_ROOT$p ]] && return 0
  done
  return 1
}

# The package manager named in messages: yum on Amazon Linux 2, dnf on AL2023.
HE_PKG_TOOL=dnf
[[ ${HE_PROFILE_BENCHMARK:-} != al2 ]] || HE_PKG_TOOL=yum

# he_dnf ARGS...: the package manager of the running system (dnf on AL2023, yum on Amazon Linux 2).
he_dnf() {
  if command -v dnf >/dev/null 2>&1; then dnf -y -q "$@"; else yum -y -q "$@"; fi
}

# ---- kernel command line ----------------------------------------------------------------------
# he_cmdline_sources VAR: VAR (array) becomes "file<TAB>kind" for every place that sets kernel arguments:
# BLS entries (options lines), /etc/default/grub (GRUB_CMDLINE_LINUX*), grub.cfg linux lines, /etc/kernel/cmdline.
he_cmdline_sources() {
  local __src=() __src_rc=0
  he__he_cmdline_sources_fill "$@" || __src_rc=$?
  he_set_array "$1" "${__src[@]}"
  return "$__src_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_cmdline_sources_fill fills __src, a local of he_cmdline_sources, which copies it to $1.
he__he_cmdline_sources_fill() {
  local f
  __src=()
  for f in "$HE_ROOT"/boot/loader/entries/*.conf; do
    [[ -f $f ]] && __src+=("$f"$'\t'bls)
  done
  [[ -f $HE_ROOT/etc/default/grub ]] && __src+=("$HE_ROOT/etc/default/grub"$'\t'default)
  for f in "$HE_ROOT/boot/grub2/grub.cfg" "$HE_ROOT"/boot/efi/EFI/*/grub.cfg; do
    [[ -f $f ]] && __src+=("$f"$'\t'grubcfg)
  done
  [[ -f $HE_ROOT/etc/kernel/cmdline ]] && __src+=("$HE_ROOT/etc/kernel/cmdline"$'\t'plain)
  return 0
}

# gawk library: args_of(line, kind) extracts the kernel-argument part of a line of the given kind.
HE_AWK_CMDLINE='
function args_of(line, kind,   s) {
  s = line
  if (kind == "bls") { if (s !~ /^[ \t]*options[ \t]/) return "\001"; sub(/^[ \t]*options[ \t]+/, "", s); return s }
  if (kind == "default") {
    if (s !~ /^[ \t]*GRUB_CMDLINE_LINUX(_DEFAULT)?=/) return "\001"
    sub(/^[^=]*=/, "", s); gsub(/^["\047]|["\047][ \t]*$/, "", s); return s
  }
  if (kind == "grubcfg") {
    if (s !~ /^[ \t]*linux(efi|16)?[ \t]/) return "\001"
    sub(/^[ \t]*linux(efi|16)?[ \t]+[^ \t]+[ \t]*/, "", s); return s
  }
  if (s ~ /^[ \t]*#/) return "\001"
  return s
}
function has_arg(args, want,   n, i, a) {
  n = split(args, a, /[ \t]+/)
  for (i = 1; i <= n; i++) if (a[i] == want) return 1
  return 0
}'

# he_ipv6_disabled: IPv6 is disabled on the kernel command line (or, on a running system, absent).
he_ipv6_disabled() {
  if he_live && [[ ! -d /proc/sys/net/ipv6 ]]; then return 0; fi
  if [[ $HE_CACHE == 1 && -n ${HE_C_VAL[ipv6-disabled]+x} ]]; then return "${HE_C_VAL[ipv6-disabled]}"; fi
  local sources=() entry files=() kinds="" rc=1
  he_cmdline_sources sources
  for entry in "${sources[@]}"; do
    files+=("${entry%%$'\t'*}")
    kinds+="${entry#*$'\t'} "
  done
  # one gawk for every source; a file it cannot read counts as not disabling IPv6 (as before)
  if [[ ${#files[@]} -gt 0 ]] && gawk -v kinds="$kinds" "$HE_AWK_CMDLINE"'
      BEGIN { split(kinds, kind, " ") }
      BEGINFILE { if (ERRNO != "") nextfile }
      { a = args_of($0, kind[ARGIND]); if (a != "\001" && has_arg(a, "ipv6.disable=1")) found = 1 }
      END { exit !found }' "${files[@]}"; then
    rc=0
  fi
  [[ $HE_CACHE != 1 ]] || HE_C_VAL[ipv6-disabled]=$rc
  return "$rc"
}
