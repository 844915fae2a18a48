# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: kmod_disabled
# args: module
# A kernel module must not be loadable: its first `install` command (kmod reads modprobe.d files sorted by
# name, /etc shadowing /run and /usr/lib, and keeps the first install line) is /bin/false or /bin/true, it
# is blacklisted, and on a running system it is not loaded. A module no kernel under the root ships passes.

# he_kmod_state MODULE: prints "<install command>\x1f<file:line>\x1f<blacklisted 0|1>" from the effective modprobe.d.
he_kmod_state() {
  local files=()
  he_conf_files files modprobe.d /etc /run /usr/local/lib /usr/lib /lib
  if [[ ${#files[@]} -eq 0 ]]; then
    printf '\x1f\x1f0\n'
    return 0
  fi
  gawk -v mod="${1//-/_}" '
    function norm(s) { gsub(/-/, "_", s); return s }
    /^[ \t]*#/ { next }
    $1 == "install" && norm($2) == mod && !found {
      cmd = $0; sub(/^[ \t]*install[ \t]+[^ \t]+[ \t]*/, "", cmd); sub(/[ \t]+$/, "", cmd)
      found = 1; where = FILENAME ":" FNR
    }
    $1 == "blacklist" && norm($2) == mod { bl = 1 }
    END { printf "%s\037%s\037%d\n", cmd, where, bl }' "${files[@]}"
}

# he_kmod_available MODULE: a kernel under the root ships MODULE (as a file or built in).
he_kmod_available() {
  local pattern=${1//[-_]/[-_]} dir
  for dir in "$HE_ROOT/lib/modules" "$HE_ROOT/usr/lib/modules"; do
    [[ -d $dir && ! -L $dir ]] || continue
    if [[ -n $(find "$dir" -name "$pattern.ko*" -print -quit) ]]; then return 0; fi
    if [[ -n $(find "$dir" -maxdepth 2 -name modules.builtin -exec grep -l -E "/$pattern\.ko\$" {} + 2>/dev/null) ]]
    then
      HE_KMOD_BUILTIN=1
      return 0
    fi
  done
  return 1
}

he_kmod_loaded() {
  he_live && [[ -r /proc/modules ]] && gawk -v m="${1//-/_}" '$1 == m { f = 1 } END { exit !f }' /proc/modules
}

he_fam_kmod_disabled() {
  local mode=$1 module=$2 state cmd where blacklisted
  if [[ $mode == audit ]]; then
    HE_KMOD_BUILTIN=0
    if ! he_kmod_available "$module"; then
      if he_kmod_loaded "$module"; then he_fail "$module is loaded"; else he_pass "$module: no kernel module shipped"; fi
      return 0
    fi
    if [[ $HE_KMOD_BUILTIN == 1 ]]; then
      he_fail "$module is built into the kernel and cannot be disabled"
      return 0
    fi
    state=$(he_kmod_state "$module")
    IFS=$'\x1f' read -r cmd where blacklisted <<<"$state"
    local problems=()
    case $cmd in
      /bin/false | /usr/bin/false | /bin/true | /usr/bin/true) ;;
      "") problems+=("no install command") ;;
      *) problems+=("install runs '$cmd' ($(he_rel "$where"))") ;;
    esac
    [[ $blacklisted == 1 ]] || problems+=("not blacklisted")
    if he_kmod_loaded "$module"; then problems+=("loaded"); fi
    if [[ ${#problems[@]} -eq 0 ]]; then
      he_pass "$module: install $cmd ($(he_rel "$where")), blacklisted"
    else
      local IFS=';'
      he_fail "$module: ${problems[*]}"
    fi
    return 0
  fi
  # apply: our file sorts first so its install line wins; neutralise an earlier competing line.
  he_write_file "/etc/modprobe.d/00-cis-$module.conf" \
    "# CIS hardening ($HE_CURRENT): $module must not be loadable
install $module /bin/false
blacklist $module"
  for _ in 1 2 3 4 5; do
    state=$(he_kmod_state "$module")
    IFS=$'\x1f' read -r cmd where blacklisted <<<"$state"
    [[ $cmd == /bin/false ]] && break
    he_neutralize_line "${where%:*}" "${where##*:}" /etc/modprobe.d
  done
  if he_kmod_loaded "$module"; then modprobe -r "$module"; fi
  return 0
}
