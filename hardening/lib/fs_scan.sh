# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016,SC2034  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# One pass over the local file systems, shared by every control that needs a full-file-system view
# (world-writable files and directories, unowned and ungrouped entries, the SUID/SGID inventory).
#
# he_fs_scan EXEMPT...  runs `find` once (or reuses the result of this run) and leaves NUL-separated
# target paths in "$HE_FS_SCAN_DIR"/<kind> for kind in: world-writable-file, world-writable-dir (no sticky
# bit), unowned, ungrouped, suid, sgid; "$HE_FS_SCAN_DIR"/scanned holds the number of entries seen.
# EXEMPT paths (container and kubelet state) are pruned, not skipped silently: callers name them in their
# evidence. Pseudo file systems are never scanned. Owners are judged against the target's own accounts
# (the root's /etc/passwd and /etc/group under --root; NSS through getent on a running system).
# A remediation that changes what the scan saw calls he_fs_scan_invalidate so the next audit rescans.

HE_FS_SCAN_KEY=""
HE_FS_SCAN_DIR=""
HE_FS_SCAN_ERRORS=0
# Local, disk- or memory-backed file systems scanned on a running system (as `df --local` would list,
# without devtmpfs, container overlays and read-only images).
HE_FS_SCAN_TYPES=" xfs ext2 ext3 ext4 btrfs vfat tmpfs "

# he_fs_scan_starts VAR EXEMPT...: VAR (array) becomes the mount points to scan on the running system.
he_fs_scan_starts() {
  local __starts=() __starts_rc=0
  he__he_fs_scan_starts_fill "$@" || __starts_rc=$?
  he_set_array "$1" "${__starts[@]}"
  return "$__starts_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_fs_scan_starts_fill fills __starts, a local of he_fs_scan_starts, which copies it to $1.
he__he_fs_scan_starts_fill() {
  shift
  mapfile -t __starts < <(gawk -v types="$HE_FS_SCAN_TYPES" -v exempt="$*" '
    function unescape(s,   out, i, c) {  # /proc/self/mounts escapes space, tab, newline and backslash in octal
      out = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" && substr(s, i + 1, 3) ~ /^[0-7][0-7][0-7]$/) {
          out = out sprintf("%c", strtonum("0" substr(s, i + 1, 3))); i += 3
        } else out = out c
      }
      return out
    }
    BEGIN { n = split(exempt, ex, " ") }
    index(types, " " $3 " ") {
      mp = unescape($2)
      if (mp ~ /^\/(proc|sys)(\/|$)/ || seen[mp]++) next
      for (i = 1; i <= n; i++) if (mp == ex[i] || index(mp, ex[i] "/") == 1) next
      print mp
    }' /proc/self/mounts)
}

# he_fs_ids FILE KIND: the numeric ids (uid for passwd, gid for group) known on the target, one per line.
he_fs_ids() {
  local kind=$1
  if he_live && command -v getent >/dev/null 2>&1; then
    getent "$kind" | cut -d: -f3
  else
    cut -d: -f3 "$HE_ROOT/etc/$kind"
  fi
}

# he_glob_quote PATH: PATH with the characters find -path treats as a pattern escaped.
he_glob_quote() {
  local s=${1//\\/\\\\}
  s=${s//\*/\\*}
  s=${s//\?/\\?}
  s=${s//\[/\\[}
  printf '%s' "$s"
}

he_fs_scan() {
  local key="$*" exempt prune=() starts=() xdev=() rc=0
  if [[ $HE_FS_SCAN_KEY == "$key" && -n $HE_FS_SCAN_DIR && -f $HE_FS_SCAN_DIR/scanned ]]; then
    return 0
  fi
  HE_FS_SCAN_DIR=$HE_TMP/fs-scan
  rm -rf -- "$HE_FS_SCAN_DIR"
  mkdir -p -- "$HE_FS_SCAN_DIR"
  for exempt in "$@" /proc /sys; do
    prune+=(-path "$(he_glob_quote "$HE_ROOT$exempt")" -o)
  done
  if he_live; then
    he_fs_scan_starts starts "$@"
    xdev=(-xdev)
  else
    prune+=(-path "$(he_glob_quote "$HE_ROOT/dev")" -o)
    starts=("$HE_ROOT")
  fi
  unset 'prune[${#prune[@]}-1]'
  he_fs_ids passwd >"$HE_FS_SCAN_DIR/uids"
  he_fs_ids group >"$HE_FS_SCAN_DIR/gids"
  find "${starts[@]}" "${xdev[@]}" \( "${prune[@]}" \) -prune -o -printf '%y %m %U %G %p\0' \
    >"$HE_FS_SCAN_DIR/raw" 2>"$HE_FS_SCAN_DIR/errors" || rc=$?
  # A file that vanishes during the walk of a running system is not a finding; anything else is reported.
  HE_FS_SCAN_ERRORS=0
  if [[ $rc -ne 0 ]]; then
    HE_FS_SCAN_ERRORS=$(grep -vc 'No such file or directory' "$HE_FS_SCAN_DIR/errors" || true)
  fi
  gawk -v root="$HE_ROOT" -v out="$HE_FS_SCAN_DIR" '
    BEGINFILE { RS = (FILENAME ~ /\/raw$/) ? "\0" : "\n" }
    FILENAME ~ /\/uids$/ { uid[$0] = 1; next }
    FILENAME ~ /\/gids$/ { gid[$0] = 1; next }
    {
      if (!match($0, /^([a-zA-Z]) ([0-7]+) ([0-9]+) ([0-9]+) /, f)) next
      path = substr($0, RLENGTH + 1)
      if (root != "") { path = substr(path, length(root) + 1); if (path == "") path = "/" }
      mode = strtonum("0" f[2]); n++
      if (f[1] == "f" && and(mode, 2)) emit("world-writable-file")
      if (f[1] == "d" && and(mode, 2) && !and(mode, 512)) emit("world-writable-dir")
      if (!(f[3] in uid)) emit("unowned")
      if (!(f[4] in gid)) emit("ungrouped")
      if (f[1] == "f" && and(mode, 2048)) emit("suid")
      if (f[1] == "f" && and(mode, 1024)) emit("sgid")
    }
    function emit(kind) { printf "%s\0", path > (out "/" kind) }
    END { print n + 0 > (out "/scanned") }' "$HE_FS_SCAN_DIR/uids" "$HE_FS_SCAN_DIR/gids" "$HE_FS_SCAN_DIR/raw"
  rm -f -- "$HE_FS_SCAN_DIR/raw"
  local kind
  for kind in world-writable-file world-writable-dir unowned ungrouped suid sgid; do
    : >>"$HE_FS_SCAN_DIR/$kind"
  done
  HE_FS_SCAN_KEY=$key
}

he_fs_scan_invalidate() {
  HE_FS_SCAN_KEY=""
}

# he_fs_scan_paths VAR KIND: VAR (array) becomes the target paths of KIND from the last scan.
he_fs_scan_paths() {
  local __paths=() __paths_rc=0
  he__he_fs_scan_paths_fill "$@" || __paths_rc=$?
  he_set_array "$1" "${__paths[@]}"
  return "$__paths_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_fs_scan_paths_fill fills __paths, a local of he_fs_scan_paths, which copies it to $1.
he__he_fs_scan_paths_fill() {
  local __p
  __paths=()
  while IFS= read -r -d '' __p; do __paths+=("$__p"); done <"$HE_FS_SCAN_DIR/$2"  # bash 4.2: no mapfile -d
}

# he_fs_scan_sample VAR PATH...: VAR becomes "first, second, ... (+N more)" for evidence.
he_fs_scan_sample() {
  local __out=$1 __text
  shift
  __text=$(printf '%s, ' "${@:1:5}")
  __text=${__text%, }
  [[ $# -le 5 ]] || __text+=" (+$(($# - 5)) more)"
  printf -v "$__out" '%s' "$__text"
}
