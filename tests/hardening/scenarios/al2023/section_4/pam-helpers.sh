# shellcheck shell=bash
# Helpers for section 4 PAM scenarios: shape the authselect state the way `authselect` itself would leave it.
# Sourced by scenario scripts (run with the fixture root as the working directory).

# enable_feature NAME: record the feature in authselect.conf.
enable_feature() { printf '%s\n' "$1" >> etc/authselect/authselect.conf; }

# add_generated TYPE MODULE ARGS [AFTER-REGEX]: add a rule to both generated files, after the first line matching
# AFTER-REGEX (default: before the first line of that type).
add_generated() {
  local type=$1 module=$2 args=$3 after=${4:-} f
  for f in etc/authselect/system-auth etc/authselect/password-auth; do
    awk -v rule="$(printf '%-12s%-45s%s %s' "$type" required "$module" "$args")" -v type="$type" -v after="$after" '
      after != "" && !done && $0 ~ after { print; print rule; done = 1; next }
      after == "" && !done && $1 == type { print rule; done = 1 }
      { print }' "$f" > "$f.new"
    sed -i 's/[ \t]*$//' "$f.new"
    mv "$f.new" "$f"
  done
}

# faillock_lines [ARGS]: the three pam_faillock rules with-faillock generates.
faillock_lines() {
  add_generated auth pam_faillock.so "preauth silent ${1:-}" 'pam_faildelay'
  add_generated auth pam_faillock.so "authfail ${1:-}" 'pam_unix.so nullok'
  add_generated account pam_faillock.so "${1:-}"
}

# pwhistory_lines ARGS: the pam_pwhistory rule with-pwhistory generates.
pwhistory_lines() { add_generated password pam_pwhistory.so "use_authtok ${1:-}" 'pam_pwquality'; }
