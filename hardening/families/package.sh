# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: package_installed
# args: package witness...
# family: package_absent
# args: package witness...
# Whether a package is installed is judged from files it owns (WITNESS paths), so an offline root can be
# audited without rpm. Installing or removing needs dnf (yum on Amazon Linux 2) on a running system: deferred under --root.

he_fam_package_installed() {
  local mode=$1 package=$2
  shift 2
  if [[ $mode == audit ]]; then
    if he_any_exists "$@"; then he_pass "$package installed ($*)"; else he_fail "$package not installed (no $*)"; fi
    return 0
  fi
  if he_live; then he_dnf install "$package"; else he_defer "installing $package needs $HE_PKG_TOOL on a running system"; fi
}

he_fam_package_absent() {
  local mode=$1 package=$2
  shift 2
  if [[ $mode == audit ]]; then
    if he_any_exists "$@"; then he_fail "$package installed ($*)"; else he_pass "$package not installed"; fi
    return 0
  fi
  if he_live; then he_dnf remove "$package"; else he_defer "removing $package needs $HE_PKG_TOOL on a running system"; fi
}
