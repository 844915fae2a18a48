# shellcheck shell=bash
# Helpers for the AL2 PAM scenarios (sourced; the working directory is the fixture root).

# both SED-SCRIPT: edit both of authconfig's stacks the way a hand edit (or authconfig itself) would.
both() { sed -i "$1" etc/pam.d/system-auth-ac etc/pam.d/password-auth-ac; }

# hardened: the stacks as the hardening leaves them (own -local files), for pass cases.
hardened() {
  local n
  for n in system-auth password-auth; do
    cp "etc/pam.d/$n-ac" "etc/pam.d/$n-local"
    ln -sfn "$n-local" "etc/pam.d/$n"
    sed -i -e 's/^\(auth *sufficient *pam_unix.so.*\)$/auth        required      pam_faillock.so preauth silent audit deny=5 unlock_time=900 even_deny_root\n\1\nauth        [default=die] pam_faillock.so authfail audit deny=5 unlock_time=900 even_deny_root/' \
      -e 's/^account *required *pam_unix.so$/account     required      pam_faillock.so\n&/' \
      -e 's/^\(password *sufficient *pam_unix.so.*\)$/password    required      pam_pwhistory.so use_authtok remember=24 enforce_for_root\n\1/' \
      -e 's/ nullok//' "etc/pam.d/$n-local"
  done
}
