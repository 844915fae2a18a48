# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016,SC2034  # HE_* globals come from lib/runtime.sh (and go to he_collect); gawk programs in single quotes
# CIS Amazon Linux 2 v3.0.0 section 1: controls that fit no family. Each he_ctl_<id> follows the contract in
# lib/runtime.sh (audit reports one status; apply remediates or defers). Helpers are prefixed he_al2i_ so the
# other AL2 section files, rendered into the same script, cannot clash with them.

# ---- 1.2.2 gpgcheck -----------------------------------------------------------------------------------------
# yum's own default is gpgcheck off, so [main] of /etc/yum.conf must say 1; a repository section (in yum.conf
# or /etc/yum.repos.d/*.repo) that sets it off overrides [main] for that repository.
HE_AL2I_GPG_OFF='^[ \t]*gpgcheck[ \t]*=[ \t]*(0|[Ff]alse|[Nn]o|[Oo]ff)[ \t\r]*$'

# he_al2i_gpg_off_repos: prints "<file>\t<line>\t<section>" for every repository that turns gpgcheck off.
he_al2i_gpg_off_repos() {
  local files=() f
  he_resolve f /etc/yum.conf
  [[ -f $f ]] && files+=("$f")
  for f in "$HE_ROOT"/etc/yum.repos.d/*.repo; do [[ -f $f ]] && files+=("$f"); done
  [[ ${#files[@]} -gt 0 ]] || return 0
  gawk -v off="$HE_AL2I_GPG_OFF" '
    FNR == 1 { sect = "" }
    /^[ \t]*[#;]/ { next }
    /^[ \t]*\[/ { sect = $0; gsub(/[][ \t]/, "", sect); next }
    sect != "main" && $0 ~ off { print FILENAME "\t" FNR "\t" sect }' "${files[@]}"
}

he_ctl_1_2_2() {
  local mode=$1 value conf repos file line sect bad=() ok=()
  he_resolve conf /etc/yum.conf
  value=""
  [[ -f $conf ]] && he_ini_value value main gpgcheck "$conf"
  repos=$(he_al2i_gpg_off_repos)
  if [[ $mode == audit ]]; then
    case $value in
      1 | [Tt]rue | [Yy]es | [Oo]n) ok+=("yum.conf [main] gpgcheck=$value") ;;
      *) bad+=("yum.conf [main] gpgcheck=${value:-unset (yum default: off)}") ;;
    esac
    while IFS=$'\t' read -r file line sect; do
      [[ -n $file ]] && bad+=("repository $sect turns gpgcheck off ($(he_rel "$file"):$line)")
    done <<<"$repos"
    he_report_collected ""
    return 0
  fi
  case $value in 1 | [Tt]rue | [Yy]es | [Oo]n) ;; *) he_ini_set "$(he_rel "$conf")" main gpgcheck 1 ;; esac
  while IFS=$'\t' read -r file line sect; do
    [[ -n $file ]] || continue
    he_edit_file "$(he_rel "$file")" -v n="$line" 'FNR == n { print "gpgcheck=1"; next } { print }'
  done <<<"$repos"
}

# ---- 1.3.1 single user mode ---------------------------------------------------------------------------------
# The rescue and emergency targets start a shell through these units: their effective ExecStart (unit plus
# drop-ins; an empty ExecStart= resets) must run sulogin, which asks for the root password. A masked unit
# starts no shell at all.
HE_AL2I_SULOGIN_EXEC='-/bin/sh -c "/usr/sbin/sulogin; /usr/bin/systemctl --fail --no-block default"'

he_al2i_sulogin_state() {
  local unit=$1 file exec
  he_unit_file file "$unit"
  if [[ $file == masked ]]; then HE_STATUS=pass HE_DETAIL="$unit masked"; return 0; fi
  # No unit file: judged by its drop-ins alone (ours makes a unit installed later ask for the password too).
  he_unit_setting exec "$unit" Service ExecStart
  if [[ -z $file && -z $exec ]]; then HE_STATUS=fail HE_DETAIL="$unit not found and no drop-in sets its ExecStart"; return 0; fi
  if [[ $exec =~ (^|[[:space:]\"\;/])sulogin([[:space:]\"\;]|$) || $exec == *systemd-sulogin-shell* ]]; then
    HE_STATUS=pass HE_DETAIL="$unit runs '$exec'"
  else
    HE_STATUS=fail HE_DETAIL="$unit runs '${exec:-nothing}' without sulogin${HE_INI_LOC:+ ($(he_rel "$HE_INI_LOC"))}"
  fi
}

he_ctl_1_3_1() {
  local mode=$1 unit bad=() ok=() dropin
  for unit in rescue.service emergency.service; do
    he_al2i_sulogin_state "$unit"
    if [[ $mode == audit ]]; then he_collect; continue; fi
    [[ $HE_STATUS == pass ]] && continue
    dropin=/etc/systemd/system/$unit.d/99-zz-cis-hardening.conf
    he_write_file "$dropin" "# CIS hardening ($HE_CURRENT): single user mode asks for the root password
[Service]
ExecStart=
ExecStart=$HE_AL2I_SULOGIN_EXEC"
    # A drop-in sorting after ours would still win: neutralise its ExecStart lines.
    for _ in 1 2 3 4 5; do
      he_al2i_sulogin_state "$unit"
      [[ $HE_STATUS == pass ]] && break
      [[ -n $HE_INI_LOC && ${HE_INI_LOC%:*} != "$HE_ROOT$dropin" ]] || break
      he_neutralize_line "${HE_INI_LOC%:*}" "${HE_INI_LOC##*:}" "/etc/systemd/system/$unit.d"
    done
  done
  if [[ $mode == audit ]]; then he_report_collected "no rescue or emergency unit"; return 0; fi
  if he_live; then systemctl daemon-reload; fi
}

# ---- 1.5.1.5 / 1.5.1.6: hardening/lib/selinux.sh ------------------------------------------------------------
he_ctl_1_5_1_5() { he_selinux_enforcing "$1"; }
he_ctl_1_5_1_6() { he_selinux_no_unconfined_services "$1"; }
