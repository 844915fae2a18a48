# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: systemd_conf
# args: conf section key value
# A setting of a systemd configuration file (CONF relative to /etc, e.g. systemd/coredump.conf), read as
# systemd does: the main file (/etc, else /run, else /usr/lib), then drop-ins CONF.d/*.conf from /etc, /run,
# /usr/local/lib and /usr/lib in name order; the last assignment wins. Apply writes a drop-in that sorts last.

he_systemd_conf_files() {
  local __scf=() __scf_rc=0
  he__he_systemd_conf_files_fill "$@" || __scf_rc=$?
  he_set_array "$1" "${__scf[@]}"
  return "$__scf_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_systemd_conf_files_fill fills __scf, a local of he_systemd_conf_files, which copies it to $1.
he__he_systemd_conf_files_fill() {
  local conf=$2 dir
  __scf=()
  for dir in /etc /run /usr/lib; do
    if [[ -f $HE_ROOT$dir/$conf ]]; then __scf+=("$HE_ROOT$dir/$conf"); break; fi
  done
  local dropins=()
  he_conf_files dropins "$conf.d"
  __scf+=("${dropins[@]}")
}

he_fam_systemd_conf() {
  local mode=$1 conf=$2 section=$3 key=$4 want=$5 files=() value
  he_systemd_conf_files files "$conf"
  he_ini_value value "$section" "$key" "${files[@]}"
  if [[ $mode == audit ]]; then
    if [[ $value == "$want" ]]; then
      he_pass "$key=$value ($(he_rel "${HE_INI_LOC%:*}"))"
    elif [[ -z $value ]]; then
      he_fail "$key is not set in [$section] of $conf (want $want)"
    else
      he_fail "$key=$value at $(he_rel "$HE_INI_LOC") (want $want)"
    fi
    return 0
  fi
  he_ini_set "/etc/$conf.d/99-zz-cis-hardening.conf" "$section" "$key" "$want"
  for _ in 1 2 3 4 5; do
    he_systemd_conf_files files "$conf"
    he_ini_value value "$section" "$key" "${files[@]}"
    [[ $value == "$want" ]] && break
    he_neutralize_line "${HE_INI_LOC%:*}" "${HE_INI_LOC##*:}" "/etc/$conf.d"
  done
}
