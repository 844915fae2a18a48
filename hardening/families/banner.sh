# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: banner
# args: path text
# A login banner must exist with content and must not reveal the platform: no getty escapes (\m \r \s \v)
# and no OS name or id from the root's /etc/os-release. Apply writes TEXT (replacing a symlink, such as an
# update-motd link, with a regular file).

he_fam_banner() {
  local mode=$1 path=$2 text=$3 real os_words=()
  he_resolve real "$path"
  if [[ -f $HE_ROOT/etc/os-release ]]; then
    mapfile -t os_words < <(gawk -F= '$1 == "ID" || $1 == "NAME" { gsub(/"/, "", $2); if ($2 != "") print $2 }' \
      "$HE_ROOT/etc/os-release")
  fi
  if [[ $mode == audit ]]; then
    if [[ ! -f $real || ! -s $real ]]; then
      he_fail "$path is missing, empty or not a regular file"
      return 0
    fi
    local word
    if grep -q -E '\\[mrsv]' "$real"; then
      he_fail "$path contains a getty escape (\\m \\r \\s \\v)"
      return 0
    fi
    for word in "${os_words[@]}"; do
      if grep -q -i -F -- "$word" "$real"; then
        he_fail "$path names the platform ('$word')"
        return 0
      fi
    done
    he_pass "$path: $(head -c 60 "$real" | tr '\n' ' ')"
    return 0
  fi
  if [[ -L $HE_ROOT$path ]]; then rm -f -- "$HE_ROOT$path"; fi
  he_write_file "$path" "$text"
}
