# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: service_off
# args: package witness state unit...
# "PACKAGE is not installed, or its UNITs are masked (STATE=masked) / not enabled (STATE=disabled)".
# Installed is judged by WITNESS, a file the package owns. Apply masks the units (and stops them on a
# running system) instead of removing the package: other packages may need it (kubelet mounts NFS
# volumes with nfs-utils' mount.nfs), and masking is a file-level change that works under --root.

he_fam_service_off() {
  local mode=$1 package=$2 witness=$3 state=$4
  shift 4
  local unit bad=() ok=()
  if ! he_any_exists "$witness"; then
    if [[ $mode == audit ]]; then he_pass "$package not installed (no $witness)"; fi
    return 0
  fi
  for unit in "$@"; do
    if he_unit_masked "$unit"; then
      ok+=("$unit masked")
    elif [[ $state == disabled ]] && ! he_unit_enabled "$unit"; then
      ok+=("$unit not enabled")
    elif he_unit_enabled "$unit"; then
      bad+=("$unit enabled")
    else
      bad+=("$unit not masked")
    fi
  done
  if [[ $mode == audit ]]; then
    local IFS=';'
    if [[ ${#bad[@]} -gt 0 ]]; then
      he_fail "$package installed; ${bad[*]}"
    else
      he_pass "$package installed; ${ok[*]}"
    fi
    return 0
  fi
  for unit in "$@"; do
    he_unit_masked "$unit" || he_unit_mask "$unit"
  done
}
