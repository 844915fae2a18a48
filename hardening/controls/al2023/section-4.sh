# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# CIS Amazon Linux 2023 v1.0.0 section 4: access, authentication and authorization. Controls that fit no
# family; each he_ctl_<id> follows the contract in lib/runtime.sh. EKS decisions: see
# hardening/catalog/al2023/section-4.yaml.

# ---- 4.1 cron and at ----------------------------------------------------------------------------

# 4.1.1 cronie installed and crond.service enabled.
he_ctl_4_1_1() {
  local mode=$1
  if [[ $mode == audit ]]; then
    if ! he_cron_installed; then he_fail "cronie is not installed (no /usr/sbin/crond)"
    elif he_unit_enabled crond.service; then he_pass "cronie installed; crond.service enabled"
    else he_fail "crond.service is not enabled"; fi
    return 0
  fi
  if ! he_cron_installed; then
    if he_live; then he_dnf install cronie; else he_defer "installing cronie needs dnf on a running system"; return 0; fi
  fi
  he_unit_enable crond.service multi-user.target
}

# 4.1.8 crontab restricted: /etc/cron.allow (empty: root only); 4.1.9 at restricted: /etc/at.allow.
he_ctl_4_1_8() { he_cron_restricted "$1"; }
he_ctl_4_1_9() { he_at_restricted "$1"; }

# ---- 4.2 sshd ----------------------------------------------------------------------------------

# he_sshd_config_files VAR: sshd_config and every file sshd reads through Include (any depth), as real paths.
he_sshd_config_files() {
  local -n __sshd_files=$1
  local f
  local -A seen=()
  __sshd_files=()
  he_sshd_load
  for f in "${HE_SSHD_FILES[@]}"; do
    [[ -z ${seen[$f]+x} ]] || continue
    seen[$f]=1
    __sshd_files+=("$f")
  done
  return 0
}

# 4.2.1 sshd_config and its drop-ins: 0600 root:root.
he_ctl_4_2_1() {
  local mode=$1 files=() f problem bad=()
  he_sshd_config_files files
  if [[ ${#files[@]} -eq 0 ]]; then [[ $mode == audit ]] && he_na "no /etc/ssh/sshd_config"; return 0; fi
  for f in "${files[@]}"; do
    [[ $f == "$HE_ROOT"/etc/ssh/* ]] || continue  # crypto-policies back-ends are the policy's, 0644 by design
    problem=$(he_perm_problems "$f" 0600 root root)
    [[ -z $problem ]] && continue
    bad+=("$problem")
    [[ $mode == apply ]] && he_perm_fix "$f" 0600 root root
  done
  [[ $mode == audit ]] && he_report_bad "sshd_config and its drop-ins are 0600 root:root"
  return 0
}

# he_host_keys VAR SUFFIX: host key files (private: SUFFIX "", public: ".pub").
he_host_keys() {
  local -n __keys=$1
  local f
  __keys=()
  for f in "$HE_ROOT"/etc/ssh/ssh_host_*_key"$2"; do
    [[ -f $f && ! -L $f ]] && __keys+=("$f")
  done
  return 0
}

# 4.2.2 private host keys: 0600 root:root, or 0640 root:ssh_keys (as sshd-keygen creates them).
he_ctl_4_2_2() {
  local mode=$1 keys=() f problem bad=() gid ssh_keys
  he_host_keys keys ""
  if [[ ${#keys[@]} -eq 0 ]]; then
    [[ $mode == audit ]] && he_na "no host keys yet (sshd-keygen creates them at first boot)"
    return 0
  fi
  ssh_keys=$(he_gid ssh_keys || true)
  for f in "${keys[@]}"; do
    gid=$(stat -c %g -- "$f")
    if [[ -n $ssh_keys && $gid == "$ssh_keys" ]]; then
      problem=$(he_perm_problems "$f" 0640 root ssh_keys)
      [[ -z $problem || $mode == audit ]] || he_perm_fix "$f" 0640 root ssh_keys
    else
      problem=$(he_perm_problems "$f" 0600 root root)
      [[ -z $problem || $mode == audit ]] || he_perm_fix "$f" 0600 root root
    fi
    [[ -z $problem ]] || bad+=("$problem")
  done
  [[ $mode == audit ]] && he_report_bad "${#keys[@]} private host keys are 0600 root:root or 0640 root:ssh_keys"
  return 0
}

# 4.2.3 public host keys: 0644 root:root.
he_ctl_4_2_3() {
  local mode=$1 keys=() f problem bad=()
  he_host_keys keys .pub
  if [[ ${#keys[@]} -eq 0 ]]; then
    [[ $mode == audit ]] && he_na "no host keys yet (sshd-keygen creates them at first boot)"
    return 0
  fi
  for f in "${keys[@]}"; do
    problem=$(he_perm_problems "$f" 0644 root root)
    [[ -z $problem ]] && continue
    bad+=("$problem")
    [[ $mode == apply ]] && he_perm_fix "$f" 0644 root root
  done
  [[ $mode == audit ]] && he_report_bad "${#keys[@]} public host keys are 0644 root:root"
  return 0
}

# 4.2.4 SSH access limited: ec2-user is in wheel (cloud-init); Session Manager does not use sshd.
he_ctl_4_2_4() { he_sshd_access "$1" wheel; }

# 4.2.14 sshd follows the system-wide crypto policy: no CRYPTO_POLICY= override in /etc/sysconfig/sshd.
he_ctl_4_2_14() {
  local mode=$1 real lines=() ln
  he_resolve real /etc/sysconfig/sshd
  if [[ -f $real ]]; then
    mapfile -t lines < <(gawk '/^[ \t]*CRYPTO_POLICY[ \t]*=/ { print FNR }' "$real")
  fi
  if [[ $mode == audit ]]; then
    if [[ ${#lines[@]} -eq 0 ]]; then he_pass "no CRYPTO_POLICY override in /etc/sysconfig/sshd"
    else he_fail "/etc/sysconfig/sshd overrides the crypto policy (CRYPTO_POLICY= at line ${lines[*]})"; fi
    return 0
  fi
  for ln in "${lines[@]}"; do he_neutralize_line "$real" "$ln" /etc/sysconfig; done
  he_sshd_reload
}

# 4.2.20 idle timeout: ClientAliveInterval 1..900 and ClientAliveCountMax 1..3.
he_ctl_4_2_20() { he_sshd_client_alive "$1"; }

# ---- 4.3 sudo and su ----------------------------------------------------------------------------

# The checks live in lib/sudo.sh (shared with Amazon Linux 2, whose ids differ).
he_ctl_4_3_2() { he_sudo_use_pty "$1"; }
he_ctl_4_3_3() { he_sudo_logfile "$1"; }
# NOPASSWD for ec2-user/ssm-user is not !authenticate.
he_ctl_4_3_4() { he_sudo_reauthentication "$1"; }
he_ctl_4_3_5() { he_sudo_timestamp_timeout "$1"; }
he_ctl_4_3_6() { he_su_restricted "$1"; }

# ---- 4.4/4.5 PAM through authselect -------------------------------------------------------------

HE_AS_CONF=/etc/authselect/authselect.conf
HE_AS_CUSTOM=hardened-eks
HE_AS_PAM_FILES=(system-auth password-auth)
HE_AS_LINKED=(system-auth password-auth fingerprint-auth smartcard-auth postlogin)
HE_AS_HEADER='# Generated by authselect
# Do not modify this file manually, use authselect instead. Any user changes will be overwritten.
# You can stop authselect from managing your configuration by calling '"'"'authselect opt-out'"'"'.
# See authselect(8) for more details.
'

# he_as_state: HE_AS_PROFILE (profile id, "" when authselect is not in use) and HE_AS_FEATURES (array).
he_as_state() {
  local real lines=()
  HE_AS_PROFILE=""
  HE_AS_FEATURES=()
  he_resolve real "$HE_AS_CONF"
  [[ -f $real ]] || return 0
  mapfile -t lines < <(gawk '!/^[ \t]*(#|$)/ { gsub(/[ \t]/, ""); print }' "$real")
  [[ ${#lines[@]} -gt 0 ]] || return 0
  HE_AS_PROFILE=${lines[0]}
  HE_AS_FEATURES=("${lines[@]:1}")
}

# he_as_profile_dir ID: the directory of a profile id ("custom/x", a vendor or a default profile), or "".
he_as_profile_dir() {
  local id=$1 dir
  if [[ $id == custom/* ]]; then
    dir=/etc/authselect/custom/${id#custom/}
  elif [[ -d $HE_ROOT/usr/share/authselect/vendor/$id ]]; then
    dir=/usr/share/authselect/vendor/$id
  else
    dir=/usr/share/authselect/default/$id
  fi
  [[ -d $HE_ROOT$dir ]] && printf '%s' "$dir"
  return 0
}

# he_as_render TEMPLATE FEATURE...: the file authselect generates from TEMPLATE (a real path) for FEATUREs.
# Directives: {include|continue if E}, {exclude|stop if E}, {if E:yes|no}, {imply "f" if E}; E is made of
# "feature", not, and, or, parentheses. Implications are resolved across the profile's files first.
HE_AWK_AUTHSELECT='
function skip() { while (substr(E, P, 1) ~ /[ \t]/) P++ }
function prim(   v, q) {
  skip()
  if (substr(E, P, 1) == "(") { P++; v = disj(); skip(); P++; return v }
  if (substr(E, P, 3) == "not" && substr(E, P + 3, 1) ~ /[ \t("]/) { P += 3; return !prim() }
  if (substr(E, P, 1) == "\"") { q = index(substr(E, P + 1), "\""); v = substr(E, P + 1, q - 1); P += q + 1; return (v in F) }
  P = length(E) + 1; return 0
}
function conj(   v) { v = prim(); skip(); while (substr(E, P, 3) == "and") { P += 3; v = prim() && v; skip() }; return v }
function disj(   v) { v = conj(); skip(); while (substr(E, P, 2) == "or") { P += 2; v = conj() || v; skip() }; return v }
function ev(expr) { E = expr; P = 1; return disj() }
function features(list,   n, a, i) { n = split(list, a, " "); for (i = 1; i <= n; i++) if (a[i] != "") F[a[i]] = 1 }
function implies(line,   d, e, f) {
  while (match(line, /\{imply "[^"]+" if [^{}]+\}/)) {
    d = substr(line, RSTART + 1, RLENGTH - 2); line = substr(line, RSTART + RLENGTH)
    f = d; sub(/^imply "/, "", f); sub(/".*/, "", f); e = d; sub(/^imply "[^"]+" if /, "", e)
    IMP[f] = (f in IMP) ? IMP[f] "\001" e : e
  }
}
function render(line,   out, d, kind, e, rest, c, vals) {
  out = ""
  while (match(line, /\{(include if|continue if|exclude if|stop if|imply|if) [^{}]*\}/)) {
    d = substr(line, RSTART + 1, RLENGTH - 2); out = out substr(line, 1, RSTART - 1); line = substr(line, RSTART + RLENGTH)
    if (d ~ /^(include|continue) if /) { e = d; sub(/^[a-z]+ if /, "", e); if (!ev(e)) return "\001" }
    else if (d ~ /^(exclude|stop) if /) { e = d; sub(/^[a-z]+ if /, "", e); if (ev(e)) return "\001" }
    else if (d ~ /^imply /) { }
    else {
      e = d; sub(/^if /, "", e); c = e; rest = ""
      if (match(e, /:[^"]*$/)) { rest = substr(e, RSTART + 1); e = substr(e, 1, RSTART - 1) }
      split(rest, vals, "|")
      out = out (ev(e) ? vals[1] : ((index(rest, "|") ? vals[2] : "")))
    }
  }
  out = out line; sub(/[ \t]+$/, "", out); return out
}'

he_as_render() {
  local template=$1 files=()
  shift
  mapfile -t files < <(find "${template%/*}" -maxdepth 1 -type f ! -name README ! -name REQUIREMENTS | LC_ALL=C sort)
  gawk -v feats="$*" "$HE_AWK_AUTHSELECT"'
    BEGIN { features(feats) }
    ARGIND < ARGC - 1 { implies($0); next }
    !settled { settled = 1
      do { changed = 0
        for (f in IMP) if (!(f in F)) { n = split(IMP[f], es, "\001"); for (i = 1; i <= n; i++) if (ev(es[i])) { F[f] = 1; changed = 1 } }
      } while (changed) }
    { r = render($0); if (r != "\001") print r }' "${files[@]}" "$template"
}

# he_pam_sources VAR: for system-auth and password-auth, "<label>\t<real file or 'render'>\t<name>": the file
# PAM reads and, when authselect manages it, the profile's rendering of it (what apply-changes would write).
he_pam_sources() {
  local -n __ps=$1
  local name real dir
  __ps=()
  he_as_state
  for name in "${HE_AS_PAM_FILES[@]}"; do
    he_resolve real "/etc/pam.d/$name"
    [[ -f $real ]] && __ps+=("/etc/pam.d/$name"$'\t'"$real"$'\t'"$name")
    if [[ -n $HE_AS_PROFILE && $(he_rel "$real") == /etc/authselect/* ]]; then
      dir=$(he_as_profile_dir "$HE_AS_PROFILE")
      if [[ -n $dir && -f $HE_ROOT$dir/$name ]]; then
        __ps+=("authselect profile $HE_AS_PROFILE ($name)"$'\t'render$'\t'"$name")
      fi
    fi
  done
}

# he_pam_text SOURCE: the text of one entry of he_pam_sources.
he_pam_text() {
  local file name dir
  IFS=$'\t' read -r _ file name <<<"$1"
  if [[ $file == render ]]; then
    dir=$(he_as_profile_dir "$HE_AS_PROFILE")
    he_as_render "$HE_ROOT$dir/$name" "${HE_AS_FEATURES[@]}"
  else
    cat -- "$file"
  fi
}

# he_pam_audit GAWK-CHECK [GAWK-OPTION...]: run a check (gawk with HE_AWK_PAM, printing problems) over every PAM source;
# fills the caller's `bad` with "<label>: <problem>". No PAM file at all is a problem too.
he_pam_audit() {
  local check=$1 sources=() src out
  shift
  he_pam_sources sources
  [[ ${#sources[@]} -gt 0 ]] || { bad+=("no /etc/pam.d/system-auth or password-auth"); return 0; }
  for src in "${sources[@]}"; do
    out=$(he_pam_text "$src" | gawk "$@" "$HE_AWK_PAM$check")
    [[ -z $out ]] || bad+=("${src%%$'\t'*}: $out")
  done
}

# he_as_apply EDIT FEATURE...: make authselect generate PAM from our custom profile (created from the profile
# in use, or from `local`/`minimal`), run EDIT (a function, or "") on its system-auth and password-auth
# templates, enable FEATUREs (keeping those enabled), and regenerate.
he_as_apply() {
  local edit=$1 base f name dir custom="custom/$HE_AS_CUSTOM" features=() feat
  shift
  he_as_state
  if [[ $HE_AS_PROFILE == custom/* ]]; then
    custom=$HE_AS_PROFILE
  elif [[ -z $(he_as_profile_dir "$custom") ]]; then
    # The profile in use (sssd, winbind, ...) when its files are there, else local or minimal.
    dir=""
    for base in "$HE_AS_PROFILE" local minimal; do
      [[ -n $base ]] || continue
      dir=$(he_as_profile_dir "$base")
      [[ -z $dir ]] || break
    done
    if [[ -z $dir ]]; then
      if ! he_live; then
        he_defer "no authselect profile under this root to base $custom on (${HE_AS_PROFILE:-none} in use, no local or minimal): install authselect and apply on the running system"
        return 0
      fi
      printf '%s: no authselect profile to base %s on (%s in use; is authselect installed?)\n' "$HE_CURRENT" "$custom" \
        "${HE_AS_PROFILE:-none}" >&2
      return 1
    fi
    # Copied into a staging directory renamed into place: a run stopped half-way leaves no partial profile
    # (which later runs would take for complete); a stale staging directory is removed first.
    local parent stage
    he_mkdir /etc/authselect/custom
    he_resolve parent /etc/authselect/custom
    rm -rf -- "$parent/.$HE_AS_CUSTOM.staging"
    stage=$parent/.$HE_AS_CUSTOM.staging
    mkdir -m 0755 -- "$stage"
    for f in "$HE_ROOT$dir"/*; do
      [[ -f $f ]] && cp -p -- "$f" "$stage/${f##*/}"
    done
    he_inside "$parent/$HE_AS_CUSTOM"
    mv -T -- "$stage" "$parent/$HE_AS_CUSTOM"
  fi
  dir=$(he_as_profile_dir "$custom")
  if [[ -n $edit ]]; then
    for name in "${HE_AS_PAM_FILES[@]}"; do
      [[ -f $HE_ROOT$dir/$name ]] && "$edit" "$dir/$name"
    done
  fi
  features=("${HE_AS_FEATURES[@]}")
  for feat in "$@"; do
    [[ " ${features[*]} " == *" $feat "* ]] || features+=("$feat")
  done
  if he_live && command -v authselect >/dev/null 2>&1; then
    authselect select "$custom" "${features[@]}" --force >/dev/null
    return 0
  fi
  he_write_file "$HE_AS_CONF" "$(printf '%s\n' "$custom" "${features[@]}")"
  for f in "$HE_ROOT$dir"/*; do
    name=${f##*/}
    [[ -f $f && $name != README && $name != REQUIREMENTS ]] || continue
    he_write_file "/etc/authselect/$name" "$HE_AS_HEADER
$(he_as_render "$f" "${features[@]}")"
  done
  for name in "${HE_AS_LINKED[@]}" nsswitch.conf; do
    [[ -f $HE_ROOT/etc/authselect/$name ]] || continue
    local link=/etc/pam.d/$name
    [[ $name == nsswitch.conf ]] && link=/etc/nsswitch.conf
    if [[ ! -L $HE_ROOT$link || $(readlink -- "$HE_ROOT$link") != "/etc/authselect/$name" ]]; then
      he_mkdir "${link%/*}"
      rm -f -- "$HE_ROOT$link"
      ln -s "/etc/authselect/$name" "$HE_ROOT$link"
    fi
  done
}

# 4.4.2 with-faillock: enabled in authselect and pam_faillock in the auth and account stacks.
HE_CHECK_FAILLOCK_LINES='
  pam_line($0) && PM == "pam_faillock.so" {
    if (PT == "auth" && PA ~ /(^|[ \t])preauth([ \t]|$)/) pre = 1
    if (PT == "auth" && PA ~ /(^|[ \t])authfail([ \t]|$)/) fail = 1
    if (PT == "account") acct = 1 }
  END { m = ""; if (!pre) m = m " auth preauth"; if (!fail) m = m " auth authfail"; if (!acct) m = m " account"
        if (m != "") printf "pam_faillock missing:%s", m }'
he_ctl_4_4_2() {
  local mode=$1 bad=()
  he_as_state
  if [[ -z $HE_AS_PROFILE ]]; then bad+=("authselect is not in use")
  elif [[ " ${HE_AS_FEATURES[*]} " != *" with-faillock "* ]]; then bad+=("authselect profile $HE_AS_PROFILE without with-faillock"); fi
  he_pam_audit "$HE_CHECK_FAILLOCK_LINES"
  if [[ $mode == audit ]]; then
    he_report_bad "authselect $HE_AS_PROFILE with-faillock; pam_faillock in auth and account"
    return 0
  fi
  he_as_apply "" with-faillock
}

# 4.5.1 password quality: minlen >= 14 and minclass 4 (or every credit <= -1), retry 1 to 3, pam_pwquality in the
# password stack; arguments on the PAM line override the configuration files. retry must be written: the module's
# default (1) complies, but the benchmark's audit (and ComplianceAsCode's) reads an explicit value.
he_pwquality_problems() {
  local files=() minlen minclass retry c v credits=() shown=""
  he_pwquality_files files
  minlen=$(he_kv_value "${files[@]}" minlen)
  minclass=$(he_kv_value "${files[@]}" minclass)
  retry=$(he_kv_value "${files[@]}" retry)
  he_pwquality_value_ok minlen "$minlen" || bad+=("pwquality minlen=${minlen:-unset (8)}, want >= 14")
  he_pwquality_value_ok retry "$retry" ||
    bad+=("pwquality retry=${retry:-unset (the default 1 complies, but the CIS audit reads the setting)}, want 1 to 3")
  for c in dcredit ucredit lcredit ocredit; do
    v=$(he_kv_value "${files[@]}" "$c")
    credits+=("$v")
    shown+=" $c=${v:-0}"
  done
  if ! he_pwquality_complexity_ok "$minclass" "${credits[@]}"; then
    bad+=("pwquality minclass=${minclass:-unset (0)} and$shown, want minclass=4")
  fi
  he_pam_audit '
    pam_line($0) && PT == "password" && PM == "pam_pwquality.so" { seen = 1
      v = pam_arg("minlen"); if (v != "" && v + 0 < 14) printf "pam_pwquality.so minlen=%s overrides the configuration ", v
      v = pam_arg("minclass"); if (v != "" && v + 0 < 4) printf "pam_pwquality.so minclass=%s overrides the configuration ", v
      v = pam_arg("retry"); if (v != "" && (v !~ /^[0-9]+$/ || v + 0 < 1 || v + 0 > 3)) printf "pam_pwquality.so retry=%s overrides the configuration ", v }
    END { if (!seen) printf "no pam_pwquality.so in the password stack" }'
}

# Template edit: no argument overriding the quality settings, and retry=3 on the pam_pwquality line too (an audit
# that greps the PAM stack for retry finds it there).
he_as_tpl_pwquality() {
  he_pam_drop_args "$1" pam_pwquality.so "minlen minclass dcredit ucredit lcredit ocredit"
  he_pam_set_retry "$1"
}

he_ctl_4_5_1() {
  local mode=$1 bad=()
  he_pwquality_problems
  if [[ $mode == audit ]]; then
    he_report_bad "pwquality minlen >= 14, minclass 4, retry 1 to 3; pam_pwquality in the password stack"
    return 0
  fi
  # Compliant values are kept (a minlen of 20 stays); pwquality.conf is read last, so what it says wins.
  local files=()
  he_pwquality_files files
  he_pwquality_value_ok minlen "$(he_kv_value "${files[@]}" minlen)" || he_kv_set /etc/security/pwquality.conf minlen 14
  he_kv_set /etc/security/pwquality.conf minclass 4
  he_pwquality_value_ok retry "$(he_kv_value "${files[@]}" retry)" || he_kv_set /etc/security/pwquality.conf retry 3
  he_as_apply he_as_tpl_pwquality
}

# 4.5.2 faillock: deny 1..5 and unlock_time 0 or >= 900 (faillock.conf; PAM arguments override it). deny must be
# written: pam_faillock's default (3) complies, but the benchmark's own audit (and Amazon Inspector's CIS scan)
# greps faillock.conf for `deny = 1..5`.
he_ctl_4_5_2() {
  local mode=$1 bad=() conf deny unlock
  he_resolve conf /etc/security/faillock.conf
  deny=$(he_kv_value "$conf" deny)
  unlock=$(he_kv_value "$conf" unlock_time)
  unlock=${unlock:-600}
  if [[ -z $deny ]]; then
    bad+=("faillock deny not set in faillock.conf (the default 3 complies, but CIS's audit reads the file)")
    deny="unset"
  else
    he_faillock_deny_ok "$deny" || bad+=("faillock deny=$deny, want 1 to 5")
  fi
  he_faillock_unlock_ok "$unlock" || bad+=("faillock unlock_time=$unlock, want 0 or >= 900")
  he_pam_audit "$HE_CHECK_FAILLOCK_LINES"'
    pam_line($0) && PM == "pam_faillock.so" {
      v = pam_arg("deny"); if (v != "" && (v + 0 < 1 || v + 0 > 5)) printf " pam_faillock.so deny=%s overrides faillock.conf", v
      v = pam_arg("unlock_time"); if (v != "" && v != "never" && v + 0 > 0 && v + 0 < 900) printf " pam_faillock.so unlock_time=%s overrides faillock.conf", v }'
  if [[ $mode == audit ]]; then
    he_report_bad "faillock deny=$deny unlock_time=$unlock; pam_faillock in auth and account"
    return 0
  fi
  # 3: the module's default, so nodes lock out exactly as before, and what ComplianceAsCode's CIS profile asks
  # (var_accounts_passwords_pam_faillock_deny=3; CIS allows 1 to 5).
  if [[ $deny == unset ]] || ! he_faillock_deny_ok "$deny"; then he_kv_set /etc/security/faillock.conf deny 3; fi
  he_faillock_unlock_ok "$unlock" || he_kv_set /etc/security/faillock.conf unlock_time 900
  he_as_apply he_as_tpl_faillock with-faillock
}
he_as_tpl_faillock() { he_pam_drop_args "$1" pam_faillock.so "deny unlock_time"; }

# 4.5.3 password reuse: pam_pwhistory in the password stack remembering >= 5 (argument, else pwhistory.conf,
# else the module default of 10).
HE_PWHISTORY_REMEMBER=24
he_ctl_4_5_3() {
  local mode=$1 bad=() conf_remember
  conf_remember=$(he_kv_value "$HE_ROOT/etc/security/pwhistory.conf" remember)
  he_pam_audit '
    pam_line($0) && PT == "password" && PM == "pam_pwhistory.so" { seen = 1
      v = pam_arg("remember"); if (v == "") v = (conf != "" ? conf : 10)
      if (v + 0 < 5) printf "pam_pwhistory.so remembers %s passwords, want >= 5", v }
    END { if (!seen) printf "no pam_pwhistory.so in the password stack" }' -v conf="$conf_remember"
  if [[ $mode == audit ]]; then
    he_report_bad "pam_pwhistory remembers >= 5 passwords"
    return 0
  fi
  he_as_apply he_as_tpl_pwhistory with-pwhistory
}

# Template edit: a pam_pwhistory line remembering enough passwords, inserted before pam_unix in the password
# stack when the profile has none.
he_as_tpl_pwhistory() {
  local has=0
  if grep -Eq '^[ \t]*-?password[ \t].*pam_pwhistory\.so' "$HE_ROOT$1"; then has=1; fi
  he_edit_file "$1" -v remember="$HE_PWHISTORY_REMEMBER" -v has="$has" "$HE_AWK_PAM"'
    { line = $0; dir = ""
      if (match(line, /[ \t]*\{[^}]*\}[ \t]*$/)) { dir = substr(line, RSTART); line = substr(line, 1, RSTART - 1) } }
    pam_line(line) && PT == "password" && PM == "pam_pwhistory.so" {
      v = pam_arg("remember")
      if (v == "") line = line " remember=" remember
      else if (v + 0 < 5) sub(/remember=[^ \t]*/, "remember=" remember, line)
      print line dir; next }
    !has && !done && pam_line(line) && PT == "password" && PM == "pam_unix.so" {
      printf "password    requisite                                    pam_pwhistory.so remember=%s use_authtok {include if \"with-pwhistory\"}\n", remember
      done = 1 }
    { print }'
}

# 4.5.4 SHA-512: pam_unix hashes new passwords with sha512 (password stack), and login.defs ENCRYPT_METHOD
# SHA512 (shadow-utils tools such as chpasswd; the last definition wins).
he_ctl_4_5_4() {
  local mode=$1 bad=() method
  method=$(he_login_defs ENCRYPT_METHOD)
  [[ $method == SHA512 ]] || bad+=("login.defs ENCRYPT_METHOD ${method:-unset (DES)}, want SHA512")
  he_pam_audit "$HE_CHECK_SHA512"
  if [[ $mode == audit ]]; then
    he_report_bad "pam_unix sha512; login.defs ENCRYPT_METHOD SHA512"
    return 0
  fi
  [[ $method == SHA512 ]] || he_login_defs_set ENCRYPT_METHOD SHA512
  he_as_apply he_pam_set_sha512
}

# ---- 4.6 user accounts and environment (lib/accounts.sh) ------------------------------------------

he_ctl_4_6_1_1() { he_ageing "$1" PASS_MAX_DAYS le 365 365 5; }
he_ctl_4_6_1_2() { he_ageing "$1" PASS_MIN_DAYS ge 1 1 4; }
he_ctl_4_6_1_3() { he_ageing "$1" PASS_WARN_AGE ge 7 7 6; }
he_ctl_4_6_1_4() { he_ageing "$1" INACTIVE le 30 30 7 /etc/default/useradd; }
he_ctl_4_6_1_5() { he_last_change_past "$1"; }
he_ctl_4_6_2() { he_system_accounts "$1"; }
he_ctl_4_6_3() { he_shell_timeout "$1"; }

# 4.6.4 root's primary group is GID 0.
he_ctl_4_6_4() {
  local mode=$1 gid
  gid=$(gawk -F: '$1 == "root" { print $4; exit }' "$HE_ROOT/etc/passwd")
  if [[ $mode == audit ]]; then
    if [[ $gid == 0 ]]; then he_pass "root's primary GID is 0"; else he_fail "root's primary GID is ${gid:-missing}"; fi
    return 0
  fi
  he_edit_file /etc/passwd -F: -v OFS=: '$1 == "root" { $4 = 0 } { print }'
}

he_ctl_4_6_5() { he_default_umask "$1"; }
he_ctl_4_6_6() { he_root_password_audit "$1"; }  # excepted on EKS (exceptions.yaml)
