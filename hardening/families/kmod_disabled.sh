# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: kmod_disabled
# args: module
# A kernel module must not be loadable: its first `install` command (kmod reads modprobe.d files sorted by
# name, /etc shadowing /run and /usr/lib, and keeps the first install line) is /bin/false or /bin/true, it
# is blacklisted, and on a running system it is not loaded. A module no kernel under the root ships passes.

HE_KMOD_STATE=""  # he_kmod_state_get's result
HE_KMOD_BUILTIN=0
# module (dashes as underscores) -> "<install command>\037<file:line>" of its first install line / 1 if blacklisted
declare -A HE_KMOD_INSTALL=() HE_KMOD_BLACKLIST=()

# he_kmod_state MODULE: prints "<install command>\x1f<file:line>\x1f<blacklisted 0|1>" from the effective modprobe.d.
he_kmod_state() {
  he_kmod_state_get "$1"
  printf '%s\n' "$HE_KMOD_STATE"
}

# he_kmod_state_get MODULE: HE_KMOD_STATE becomes what he_kmod_state prints (without the newline). One gawk
# reads every module's first install line and blacklist; with HE_CACHE it runs once per run.
he_kmod_state_get() {
  local mod=${1//-/_} files=() kind name rest
  if [[ $HE_CACHE != 1 || -z ${HE_C_VAL[kmod]+x} ]]; then
    HE_KMOD_INSTALL=() HE_KMOD_BLACKLIST=()
    he_conf_files files modprobe.d /etc /run /usr/local/lib /usr/lib /lib
    if [[ ${#files[@]} -gt 0 ]]; then
      while IFS=$'\t' read -r kind name rest; do
        [[ -n $name ]] || continue
        case $kind in
          I) HE_KMOD_INSTALL[$name]=$rest ;;
          B) HE_KMOD_BLACKLIST[$name]=1 ;;
        esac
      done < <(gawk '
        function norm(s) { gsub(/-/, "_", s); return s }
        /^[ \t]*#/ { next }
        $1 == "install" && !((m = norm($2)) in found) {
          cmd = $0; sub(/^[ \t]*install[ \t]+[^ \t]+[ \t]*/, "", cmd); sub(/[ \t]+$/, "", cmd)
          found[m] = 1; print "I\t" m "\t" cmd "\037" FILENAME ":" FNR
        }
        $1 == "blacklist" && !((m = norm($2)) in bl) { bl[m] = 1; print "B\t" m }' "${files[@]}")
    fi
    HE_C_VAL[kmod]=1
  fi
  HE_KMOD_STATE=${HE_KMOD_INSTALL[$mod]:-$'\037'}$'\037'${HE_KMOD_BLACKLIST[$mod]:-0}
}

# he_kmod_available MODULE: a kernel under the root ships MODULE (as a file or built in). The module files
# and built-in lists of each modules directory are listed once (HE_CACHE: once per run).
he_kmod_available() {
  local mod=${1//-/_} dir i=0
  for dir in "$HE_ROOT/lib/modules" "$HE_ROOT/usr/lib/modules"; do
    i=$((i + 1))
    [[ -d $dir && ! -L $dir ]] || continue
    if [[ $HE_CACHE != 1 || -z ${HE_C_VAL[kmod-files:$i]+x} ]]; then
      local ko builtin
      ko=$(find "$dir" -name '*.ko*' -printf '%f\n' 2>/dev/null || true)
      builtin=$(find "$dir" -maxdepth 2 -name modules.builtin -exec gawk '{ print }' {} + 2>/dev/null || true)
      # module names compare with - and _ alike (kmod does); one name (or built-in path) per line
      HE_C_VAL[kmod-files:$i]=$'\n'${ko//-/_}$'\n'
      HE_C_VAL[kmod-builtin:$i]=$'\n'${builtin//-/_}$'\n'
    fi
    if [[ ${HE_C_VAL[kmod-files:$i]} == *$'\n'"$mod".ko* ]]; then return 0; fi
    if [[ ${HE_C_VAL[kmod-builtin:$i]} == *"/$mod.ko"$'\n'* ]]; then
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
  local mode=$1 module=$2 cmd where blacklisted
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
    he_kmod_state_get "$module"
    IFS=$'\x1f' read -r cmd where blacklisted <<<"$HE_KMOD_STATE"
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
    he_kmod_state_get "$module"
    IFS=$'\x1f' read -r cmd where blacklisted <<<"$HE_KMOD_STATE"
    [[ $cmd == /bin/false ]] && break
    he_neutralize_line "${where%:*}" "${where##*:}" /etc/modprobe.d
  done
  if he_kmod_loaded "$module"; then modprobe -r "$module"; fi
  return 0
}
