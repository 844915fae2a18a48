# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: kernel_arg
# args: state arg...
# Kernel command-line arguments, wherever they are set: BLS entries (/boot/loader/entries/*.conf options),
# /etc/default/grub (GRUB_CMDLINE_LINUX*, used for new kernels), grub.cfg linux lines, /etc/kernel/cmdline.
# STATE absent: no source carries ARG. STATE present: every BLS entry, GRUB_CMDLINE_LINUX and grub.cfg linux
# line carries ARG (a key=value ARG replaces other values of the same key).
# /etc/default/grub is what grub2-mkconfig rebuilds grub.cfg (and, with BLS, the entries' options) from: it
# sources the file and writes "$GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT" on normal entries and
# "$GRUB_CMDLINE_LINUX" alone on recovery entries (grub.d/10_linux). So with STATE present the file needs a
# GRUB_CMDLINE_LINUX carrying ARG (where CIS puts it; Amazon Linux 2's file has only GRUB_CMDLINE_LINUX_DEFAULT,
# then apply adds the line), and GRUB_CMDLINE_LINUX_DEFAULT may not carry another value of ARG's key: it comes
# later on the kernel line and would win.

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
          function other_value(args,   n, i, a, key) {  # another value of a key=value ARG, or ""
            key = want; if (key !~ /=/) return ""
            sub(/=.*/, "=", key)
            n = split(args, a, /[ \t]+/)
            for (i = 1; i <= n; i++) if (index(a[i], key) == 1 && a[i] != want) return a[i]
            return ""
          }
          { a = args_of($0, kind); if (a == "\001") next
            if (kind == "default" && state == "present" && $0 ~ /^[ \t]*GRUB_CMDLINE_LINUX_DEFAULT=/) {
              o = other_value(a); if (o != "") later = later " " FNR " (" o ")"
              next
            }
            n++; if (has_arg(a, want)) has++; else missing = missing " " FNR }
          END {
            if (state == "absent") { if (has) print "is set"; exit }
            if (n && has < n) out = "missing at line" missing
            else if (!n && kind == "default") out = "missing: no GRUB_CMDLINE_LINUX line, so grub2-mkconfig would build kernel lines without it"
            if (later != "") out = out (out == "" ? "" : ", ") "GRUB_CMDLINE_LINUX_DEFAULT overrides it at line" later
            if (out != "") print out
          }' "$file")
        [[ -z $found ]] || bad+=("$(he_rel "$file"): $arg $found")
      else
        he_edit_file "$(he_rel "$file")" -v kind="$kind" -v want="$arg" -v state="$state" "$HE_AWK_CMDLINE"'
          function edit(args, add,   n, i, a, out, key) {
            key = want; sub(/=.*/, "=", key)
            n = split(args, a, /[ \t]+/); out = ""
            for (i = 1; i <= n; i++) {
              if (a[i] == "" || (add && a[i] == want)) continue
              if (state == "absent" && a[i] == want) continue
              if (state == "present" && key ~ /=$/ && index(a[i], key) == 1 && (add || a[i] != want)) continue
              out = out (out == "" ? "" : " ") a[i]
            }
            if (state == "present" && add) out = out (out == "" ? "" : " ") want
            return out
          }
          {
            a = args_of($0, kind)
            if (a == "\001") { print; next }
            # GRUB_CMDLINE_LINUX_DEFAULT never receives ARG; it only loses other values of its key
            add = !(kind == "default" && $0 ~ /^[ \t]*GRUB_CMDLINE_LINUX_DEFAULT=/)
            if (kind == "default" && add) seen = 1
            e = edit(a, add); cur = a; gsub(/[ \t]+/, " ", cur); sub(/^ /, "", cur); sub(/ $/, "", cur)
            if (e == cur) { print; next }
            if (kind == "bls") { match($0, /^[ \t]*options[ \t]+/); print substr($0, 1, RLENGTH) e }
            else if (kind == "default") { match($0, /^[^=]*=/); print substr($0, 1, RLENGTH) "\"" e "\"" }
            else if (kind == "grubcfg") { match($0, /^[ \t]*linux(efi|16)?[ \t]+[^ \t]+/); print substr($0, 1, RLENGTH) " " e }
            else print e
          }
          END { if (kind == "default" && state == "present" && !seen) print "GRUB_CMDLINE_LINUX=\"" want "\"" }'
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
