# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: sshd_option
# args: keyword rule fix
# An sshd setting, read as sshd reads it (lib/sshd.sh: quoting, Include per layout, first value wins at startup,
# then the Match blocks a connection matches, `Match all` included, override it). RULE is one of eq:V, in:A|B,
# le:N, range:A:B, maxstartups:S:R:F, file (a banner file that exists), weak:A,B,... (an algorithm list, after
# +/-/^ against the default, with none of these). The audit wants the startup value set explicitly (a compliant
# compiled-in default is pinned too), every Match block's value compliant, and no other line sshd reads with a
# value that does not comply. Apply writes KEYWORD FIX where sshd reads it first and comments out every line of
# KEYWORD that does not comply, in Match blocks too.

he_fam_sshd_option() {
  local mode=$1 kw=$2 rule=$3 fix=$4
  if [[ $mode == audit ]]; then
    he_sshd_check "$kw" "$rule"
    if [[ ${#HE_SSHD_BAD[@]} -eq 0 ]]; then
      he_pass "$HE_SSHD_EFFECTIVE"
    else
      local IFS=';'
      he_fail "${HE_SSHD_BAD[*]}"
    fi
    return 0
  fi
  he_sshd_fix "$kw" "$rule" "$fix"
  he_sshd_reload
}
