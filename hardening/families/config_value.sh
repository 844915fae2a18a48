# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: config_value
# args: path key allowed fix
# A "KEY=value" file (shell-style, like /etc/selinux/config): every uncommented assignment of KEY must have
# one of the ALLOWED values ("|"-separated), and there must be one. Parsers differ on first/last wins, so
# all occurrences are checked. Apply replaces each wrong assignment with FIX (or appends one).

he_config_values() {
  local f
  he_resolve f "$1"
  [[ -f $f ]] || return 0
  gawk -v key="$2" '
    /^[ \t]*#/ { next }
    { line = $0; sub(/^[ \t]+/, "", line) }
    index(line, key "=") == 1 || line ~ ("^" key "[ \t]*=") {
      v = line; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t\r]+$/, "", v); gsub(/^["\047]|["\047]$/, "", v)
      print FNR "\t" v
    }' "$f"
}

he_fam_config_value() {
  local mode=$1 path=$2 key=$3 allowed=$4 fix=$5 lines ln v bad=() good=()
  lines=$(he_config_values "$path" "$key")
  while IFS=$'\t' read -r ln v; do
    [[ -n $ln ]] || continue
    if [[ "|$allowed|" == *"|$v|"* ]]; then good+=("$v"); else bad+=("$ln"); fi
  done <<<"$lines"
  if [[ $mode == audit ]]; then
    if [[ ${#bad[@]} -gt 0 ]]; then
      he_fail "$path: $key has a value other than $allowed (line ${bad[*]})"
    elif [[ ${#good[@]} -eq 0 ]]; then
      he_fail "$path: $key is not set"
    else
      he_pass "$path: $key=${good[0]}"
    fi
    return 0
  fi
  local real
  he_resolve real "$path"
  he_edit_file "${real#"$HE_ROOT"}" -v key="$key" -v fix="$fix" -v bad=" ${bad[*]} " -v have="${#good[@]}" '
    index(bad, " " FNR " ") { print key "=" fix; done = 1; next }
    { print }
    END { if (!done && have == 0) print key "=" fix }'
}
