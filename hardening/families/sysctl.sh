# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: sysctl
# args: setting...
# Each setting "key=value" must be what systemd-sysctl applies at boot: *.conf files of sysctl.d in
# /etc, /run, /usr/local/lib and /usr/lib (same name in an earlier directory shadows; files read in name
# order; the last explicit assignment wins; an explicit key beats a glob; "-key" excludes a key from globs),
# plus /etc/sysctl.conf. On a running system the kernel value must match too.
# IPv6 keys are not applicable when IPv6 is disabled on the kernel command line.

HE_SYSCTL_DROPIN=/etc/sysctl.d/99-zz-cis-hardening.conf

he_sysctl_files() {
  local __sf=() __sf_rc=0
  he__he_sysctl_files_fill "$@" || __sf_rc=$?
  he_set_array "$1" "${__sf[@]}"
  return "$__sf_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_sysctl_files_fill fills __sf, a local of he_sysctl_files, which copies it to $1.
he__he_sysctl_files_fill() {
  he_conf_files __sf sysctl.d
  local f conf=$HE_ROOT/etc/sysctl.conf
  [[ -f $conf ]] || return 0
  for f in "${__sf[@]}"; do
    [[ $f -ef $conf ]] && return 0
  done
  __sf+=("$conf")
}

# he_sysctl_effective KEY: prints "<value>\t<file>:<line>" (empty when nothing sets KEY).
he_sysctl_effective() {
  local files=()
  he_sysctl_files files
  [[ ${#files[@]} -gt 0 ]] || return 0
  gawk -v want="$1" '
    function normkey(k,   first) {
      first = match(k, /[.\/]/)
      if (first && substr(k, first, 1) == "/") { gsub(/\./, "\001", k); gsub(/\//, ".", k); gsub(/\001/, "/", k) }
      return k
    }
    function glob2re(g,   re) {
      re = g; gsub(/[.+^$(){}|\\]/, "\\\\&", re); gsub(/\*/, ".*", re); gsub(/\?/, ".", re)
      return "^" re "$"
    }
    /^[ \t]*([#;]|$)/ { next }
    {
      line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t\r]+$/, "", line)
      dash = 0; if (substr(line, 1, 1) == "-") { dash = 1; line = substr(line, 2) }
      eq = index(line, "=")
      if (!eq) { if (dash) { k = normkey(line); if (k ~ /[*?[]/) exgl[k] = 1; else excluded[k] = 1 }; next }
      k = substr(line, 1, eq - 1); sub(/[ \t]+$/, "", k); k = normkey(k)
      v = substr(line, eq + 1); sub(/^[ \t]+/, "", v); gsub(/[ \t]+/, " ", v)
      if (k == want) { ev = v; eloc = FILENAME ":" FNR; explicit = 1 }
      else if (k ~ /[*?[]/ && want ~ glob2re(k)) { gv = v; gloc = FILENAME ":" FNR; glob = 1 }
    }
    END {
      if (explicit) printf "%s\t%s\n", ev, eloc
      else if (glob && !(want in excluded)) printf "%s\t%s\n", gv, gloc
    }' "${files[@]}"
}

he_sysctl_runtime() {
  local f=/proc/sys/${1//.//}
  [[ -r $f ]] && tr -s ' \t' ' ' <"$f"
}

he_fam_sysctl() {
  local mode=$1 setting key want value where runtime ok=() bad=()
  shift
  local ipv6_off=0
  if he_ipv6_disabled; then ipv6_off=1; fi
  for setting in "$@"; do
    key=${setting%%=*}
    want=${setting#*=}
    if [[ $key == net.ipv6.* && $ipv6_off == 1 ]]; then continue; fi
    IFS=$'\t' read -r value where < <(he_sysctl_effective "$key"; printf '\t\n') || true
    if [[ $mode == apply ]]; then
      if [[ $value != "$want" ]]; then
        he_edit_file "$HE_SYSCTL_DROPIN" -v key="$key" -v val="$want" '
          { k = $0; sub(/^[ \t]+/, "", k); sub(/[ \t]*=.*/, "", k) }
          k == key && !done { print key " = " val; done = 1; next }
          k == key { next }
          { print }
          END { if (!done) { if (NR == 0) print "# CIS hardening: kernel parameters (managed by cis-harden.sh)"; print key " = " val } }'
        for _ in 1 2 3 4 5; do
          IFS=$'\t' read -r value where < <(he_sysctl_effective "$key"; printf '\t\n') || true
          [[ $value == "$want" ]] && break
          he_neutralize_line "${where%:*}" "${where##*:}" /etc/sysctl.d
        done
      fi
      if he_live; then
        runtime=$(he_sysctl_runtime "$key" || true)
        if [[ $runtime != "$want" ]]; then printf '%s\n' "$want" >"/proc/sys/${key//.//}"; fi
      fi
      continue
    fi
    if [[ $value != "$want" ]]; then
      if [[ -z $where ]]; then bad+=("$key not set (want $want)")
      else bad+=("$key = $value at $(he_rel "$where") (want $want)"); fi
      continue
    fi
    if he_live; then
      runtime=$(he_sysctl_runtime "$key" || true)
      if [[ $runtime != "$want" ]]; then bad+=("$key = $runtime in the running kernel (want $want)"); continue; fi
    fi
    ok+=("$key = $value")
  done
  [[ $mode == audit ]] || return 0
  local IFS=';'
  if [[ ${#bad[@]} -gt 0 ]]; then he_fail "${bad[*]}"
  elif [[ ${#ok[@]} -eq 0 ]]; then he_na "IPv6 is disabled"
  else he_pass "${ok[*]}"; fi
}
