# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: separate_partition
# args: mountpoint kind
# family: mount_option
# args: mountpoint option
# How a mount point is configured at boot, read as systemd does: an admin unit in /etc/systemd/system (or
# /run) beats /etc/fstab (first entry for the path), which beats a vendor unit in /usr/lib enabled through a
# .wants link; a masked unit is never mounted; drop-ins (<unit>.d/*.conf) may replace Options=. /dev/shm is
# mounted by systemd itself (tmpfs, nosuid,nodev) unless fstab says otherwise.
# separate_partition kind: "tmpfs" (created by configuration) or "volume" (an extra EBS volume the build
# attaches: apply formats it, copies the current content and adds an fstab line; needs --volume MP=DEVICE).

HE_MOUNT_CONF=""  # he_mount_config_get's result

# he_mount_unit_name PATH: the systemd unit name of a mount point (systemd-escape --path --suffix=mount).
he_mount_unit_name() {
  local name
  he_mount_unit_name_get name "$1"
  printf '%s' "$name"
}
# he_mount_unit_name_get VAR PATH: the same into VAR (no subshell).
he_mount_unit_name_get() {
  local p=${2#/} out="" c i x
  [[ -n $p ]] || { printf -v "$1" '%s' -.mount; return 0; }
  for ((i = 0; i < ${#p}; i++)); do
    c=${p:i:1}
    case $c in
      /) out+=- ;;
      [A-Za-z0-9:_.]) out+=$c ;;
      *) printf -v x '\\x%02x' "'$c"; out+=$x ;;
    esac
  done
  printf -v "$1" '%s.mount' "$out"
}

# he_mount_config MP: prints "<source>\t<fstype>\t<options>\t<origin>" (nothing when MP is not mounted at boot).
# origin: fstab:<line> | unit:<file> | api; a drop-in that sets Options= adds ":dropin".
he_mount_config() {
  he_mount_config_get "$1"
  [[ -z $HE_MOUNT_CONF ]] || printf '%s\n' "$HE_MOUNT_CONF"
}

# he_fstab_line VAR MP: VAR becomes "<line number>\t<source>\t<fstype>\t<options>" of the first active /etc/fstab
# entry for MP ("" when none). With HE_CACHE, fstab is read once for every mount point.
he_fstab_line() {
  local __fl="" mp f line
  if [[ -f $HE_ROOT/etc/fstab ]]; then
    if [[ $HE_CACHE == 1 ]]; then
      if [[ -z ${HE_C_VAL[fstab]+x} ]]; then
        while IFS=$'\t' read -r mp line; do
          [[ -z $mp ]] || HE_C_VAL[fstab:$mp]=$line
        done < <(gawk '!/^[ \t]*#/ && NF >= 3 && !($2 in seen) { seen[$2] = 1
            print $2 "\t" FNR "\t" $1 "\t" $3 "\t" ($4 == "" ? "defaults" : $4) }' "$HE_ROOT/etc/fstab")
        HE_C_VAL[fstab]=1
      fi
      __fl=${HE_C_VAL[fstab:$2]:-}
    else
      f=$HE_ROOT/etc/fstab
      __fl=$(gawk -v mp="$2" '!/^[ \t]*#/ && NF >= 3 && $2 == mp { print FNR "\t" $1 "\t" $3 "\t" ($4 == "" ? "defaults" : $4); exit }' "$f")
    fi
  fi
  printf -v "$1" '%s' "$__fl"
}

# he_mount_config_get MP: HE_MOUNT_CONF becomes what he_mount_config prints (without the newline).
he_mount_config_get() {
  local mp=$1 unit file src="" type="" opts="" origin="" dropin_opts dropins=() rel
  HE_MOUNT_CONF=""
  if [[ $HE_CACHE == 1 && -n ${HE_C_VAL[mount:$mp]+x} ]]; then HE_MOUNT_CONF=${HE_C_VAL[mount:$mp]}; return 0; fi
  he_mount_unit_name_get unit "$mp"
  he_unit_file file "$unit"
  if [[ $file == masked ]]; then
    [[ $HE_CACHE != 1 ]] || HE_C_VAL[mount:$mp]=""
    return 0
  fi
  local fstab_line=""
  he_fstab_line fstab_line "$mp"
  rel=${file#"$HE_ROOT"}
  if [[ -n $file && ( $rel == /etc/* || $rel == /run/* ) ]]; then
    he_ini_value src Mount What "$file"
    he_ini_value type Mount Type "$file"
    he_ini_value opts Mount Options "$file"
    origin=unit:$rel
  elif [[ -n $fstab_line ]]; then
    IFS=$'\t' read -r origin src type opts <<<"$fstab_line"
    origin=fstab:$origin
  elif [[ -n $file ]] && he_unit_enabled "$unit"; then
    he_ini_value src Mount What "$file"
    he_ini_value type Mount Type "$file"
    he_ini_value opts Mount Options "$file"
    origin=unit:$rel
  elif [[ $mp == /dev/shm ]]; then
    src=tmpfs type=tmpfs opts=nosuid,nodev origin=api
  else
    [[ $HE_CACHE != 1 ]] || HE_C_VAL[mount:$mp]=""
    return 0
  fi
  he_conf_files dropins "$unit.d" "${HE_UNIT_DIRS[@]}"
  if [[ ${#dropins[@]} -gt 0 ]]; then
    he_ini_value dropin_opts Mount Options "${dropins[@]}"
    if [[ -n $dropin_opts ]]; then opts=$dropin_opts; origin+=":dropin"; fi
  fi
  printf -v HE_MOUNT_CONF '%s\t%s\t%s\t%s' "$src" "$type" "${opts:-defaults}" "$origin"
  [[ $HE_CACHE != 1 ]] || HE_C_VAL[mount:$mp]=$HE_MOUNT_CONF
}

he_mounted_live() {
  he_live && gawk -v mp="$1" '$5 == mp { f = 1 } END { exit !f }' /proc/self/mountinfo
}

he_opt_has() {
  local IFS=,
  local o
  for o in $1; do [[ $o == "$2" ]] && return 0; done
  return 1
}

# he_opts_with OPTIONS OPTION: OPTIONS plus OPTION, without its opposite (exec for noexec, ...).
he_opts_with() {
  local IFS=, o out=() opposite=${2#no}
  [[ $2 == no* ]] || opposite=no$2
  for o in $1; do [[ $o == "$opposite" || $o == "$2" ]] || out+=("$o"); done
  out+=("$2")
  printf '%s' "${out[*]}"
}

he_fam_separate_partition() {
  local mode=$1 mp=$2 kind=$3 conf src type opts origin
  he_mount_config_get "$mp"
  conf=$HE_MOUNT_CONF
  IFS=$'\t' read -r src type opts origin <<<"$conf"
  if [[ $mode == audit ]]; then
    if [[ -z $conf ]]; then
      he_fail "$mp is not a separate mount (no fstab entry or enabled mount unit)"
    elif [[ $kind == tmpfs && $mp == /dev/shm && $type != tmpfs ]]; then
      he_fail "$mp is mounted from $src ($type) by ${origin%%:dropin}, not tmpfs"
    elif he_live && [[ $src == UUID=* && ! -e /dev/disk/by-uuid/${src#UUID=} ]]; then
      he_fail "$mp: device $src does not exist"
    else
      he_pass "$mp: $src ($type) from ${origin/fstab:/fstab line }"
    fi
    return 0
  fi
  if [[ $kind == tmpfs ]]; then
    if [[ $origin == fstab:* ]]; then
      he_neutralize_line "$HE_ROOT/etc/fstab" "${origin#fstab:}" /etc
      origin=${origin%%:dropin}
    fi
    local unit file
    he_mount_unit_name_get unit "$mp"
    he_unit_file file "$unit"
    if [[ $mp == /dev/shm ]]; then
      he_edit_file /etc/fstab -v mp="$mp" '{ print } END { print "tmpfs " mp " tmpfs defaults,nosuid,nodev 0 0" }'
    elif [[ -n $file ]] || he_unit_masked "$unit"; then
      he_unit_enable "$unit" local-fs.target
    else
      he_edit_file /etc/fstab -v mp="$mp" '{ print } END { print "tmpfs " mp " tmpfs defaults,mode=1777 0 0" }'
    fi
    return 0
  fi
  # kind=volume: a block device must be formatted, which only the running build instance can do.
  if ! he_live; then
    he_defer "formatting a volume for $mp needs the running build instance (apply --volume $mp=DEVICE)"
    return 0
  fi
  local dev=${HE_VOLUMES[$mp]:-}
  if [[ -z $dev ]]; then
    printf '%s: %s is not a separate partition and no volume was given: attach an EBS volume and pass --volume %s=DEVICE, or exclude %s\n' \
      "$HE_CURRENT" "$mp" "$mp" "$HE_CURRENT" >&2
    return 1
  fi
  [[ -b $dev ]] || { printf '%s: %s is not a block device\n' "$HE_CURRENT" "$dev" >&2; return 1; }
  if [[ -n $(blkid -o value -s TYPE "$dev" || true) ]]; then
    printf '%s: %s already holds a file system; refusing to format it\n' "$HE_CURRENT" "$dev" >&2
    return 1
  fi
  mkfs.xfs -q "$dev"
  local uuid staging
  uuid=$(blkid -o value -s UUID "$dev")
  staging=$(mktemp -d "$HE_TMP/volume.XXXXXX")
  mount "$dev" "$staging"
  mkdir -p -- "$mp"
  cp -a -- "$mp/." "$staging/"
  chmod --reference="$mp" -- "$staging"
  chown --reference="$mp" -- "$staging"
  chcon --reference="$mp" -- "$staging" 2>/dev/null || true
  umount "$staging"
  he_edit_file /etc/fstab -v line="UUID=$uuid $mp xfs defaults 0 2" '{ print } END { print line }'
}

he_fam_mount_option() {
  local mode=$1 mp=$2 option=$3 conf src type opts origin
  he_mount_config_get "$mp"
  conf=$HE_MOUNT_CONF
  if [[ -z $conf ]]; then
    he_na "$mp is not a separate mount"
    return 0
  fi
  IFS=$'\t' read -r src type opts origin <<<"$conf"
  if [[ $mode == audit ]]; then
    local where=${origin/fstab:/fstab line }
    if ! he_opt_has "$opts" "$option"; then
      he_fail "$mp options '$opts' ($where) lack $option"
    elif he_live && he_mounted_live "$mp" &&
      ! gawk -v mp="$mp" -v o="$option" '$5 == mp { n = split($6, a, ","); for (i = 1; i <= n; i++) if (a[i] == o) f = 1 }
        END { exit !f }' /proc/self/mountinfo; then
      he_fail "$mp is mounted without $option (remount pending)"
    else
      he_pass "$mp options '$opts' ($where)"
    fi
    return 0
  fi
  local new
  new=$(he_opts_with "$opts" "$option")
  case $origin in
    fstab:*:dropin | unit:* | api)
      if [[ $origin == api ]]; then
        he_edit_file /etc/fstab -v mp="$mp" -v o="$new" '{ print } END { print "tmpfs " mp " tmpfs " o " 0 0" }'
      else
        local unit ours dropins=() ours_options
        he_mount_unit_name_get unit "$mp"
        ours=/etc/systemd/system/$unit.d/99-zz-cis-hardening.conf
        he_write_file "$ours" "# CIS hardening: mount options for $mp
[Mount]
Options=$new"
        # A drop-in sorting after ours would still win: neutralise its Options= line.
        for _ in 1 2 3 4 5; do
          he_conf_files dropins "$unit.d" "${HE_UNIT_DIRS[@]}"
          he_ini_value ours_options Mount Options "${dropins[@]}"
          [[ $ours_options == "$new" ]] && break
          [[ ${HE_INI_LOC%:*} != "$HE_ROOT$ours" ]] || break
          he_neutralize_line "${HE_INI_LOC%:*}" "${HE_INI_LOC##*:}" "/etc/systemd/system/$unit.d"
        done
      fi ;;
    fstab:*)
      he_edit_file /etc/fstab -v n="${origin#fstab:}" -v o="$new" '
        FNR == n { $4 = o; print; next } { print }' ;;
  esac
  if he_mounted_live "$mp"; then mount -o "remount,$option" "$mp"; fi
}
