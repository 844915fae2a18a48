# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: kernel_arg
# args: state arg...
# Kernel command-line arguments, wherever they are set: BLS entries (/boot/loader/entries/*.conf options),
# /etc/default/grub (GRUB_CMDLINE_LINUX*, used for new kernels), grub.cfg linux lines, /etc/kernel/cmdline.
# STATE absent: no source carries ARG. STATE present: every BLS entry, GRUB_CMDLINE_LINUX and grub.cfg linux
# line carries ARG (a key=value ARG replaces other values of the same key).

he_fam_kernel_arg() {
  local mode=$1 state=$2 arg entry file kind found bad=()
  shift 2
  local sources=()
  he_cmdline_sources sources
  if [[ ${#sources[@]} -eq 0 ]]; then
    if [[ $state == absent ]]; then he_pass "no boot loader configuration found"; else he_fail "no boot loader configuration found"; fi
    return 0
  fi
  for arg in "$@"; do
    for entry in "${sources[@]}"; do
      file=${entry%%$'\t'*}
      kind=${entry#*$'\t'}
      if [[ $mode == audit ]]; then
        found=$(gawk -v kind="$kind" -v want="$arg" -v state="$state" "$HE_AWK_CMDLINE"'
          { a = args_of($0, kind); if (a == "\001") next
            if (kind == "default" && state == "present" && $0 ~ /GRUB_CMDLINE_LINUX_DEFAULT/) next
            n++; if (has_arg(a, want)) has++; else missing = missing " " FNR }
          END { if (state == "absent") { if (has) print "has" } else if (n && has < n) print "missing at line" missing }' "$file")
        [[ -z $found ]] || bad+=("$(he_rel "$file"): $arg ${found/has/is set}")
      else
        he_edit_file "$(he_rel "$file")" -v kind="$kind" -v want="$arg" -v state="$state" "$HE_AWK_CMDLINE"'
          function edit(args,   n, i, a, out, key) {
            key = want; sub(/=.*/, "=", key)
            n = split(args, a, /[ \t]+/); out = ""
            for (i = 1; i <= n; i++) {
              if (a[i] == "" || a[i] == want) continue
              if (state == "present" && key ~ /=$/ && index(a[i], key) == 1) continue
              out = out (out == "" ? "" : " ") a[i]
            }
            if (state == "present") out = out (out == "" ? "" : " ") want
            return out
          }
          {
            a = args_of($0, kind)
            if (a == "\001" || (kind == "default" && state == "present" && $0 ~ /GRUB_CMDLINE_LINUX_DEFAULT/)) { print; next }
            e = edit(a); cur = a; gsub(/[ \t]+/, " ", cur); sub(/^ /, "", cur); sub(/ $/, "", cur)
            if (e == cur) { print; next }
            if (kind == "bls") { match($0, /^[ \t]*options[ \t]+/); print substr($0, 1, RLENGTH) e }
            else if (kind == "default") { match($0, /^[^=]*=/); print substr($0, 1, RLENGTH) "\"" e "\"" }
            else if (kind == "grubcfg") { match($0, /^[ \t]*linux(efi|16)?[ \t]+[^ \t]+/); print substr($0, 1, RLENGTH) " " e }
            else print e
          }'
      fi
    done
  done
  [[ $mode == audit ]] || return 0
  if [[ ${#bad[@]} -eq 0 ]]; then
    he_pass "kernel arguments $state: $*"
  else
    local IFS=';'
    he_fail "${bad[*]}"
  fi
}
