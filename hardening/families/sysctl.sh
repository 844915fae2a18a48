# shellcheck shell=bash
# shellcheck disable=SC2154,SC2016  # HE_* globals come from lib/runtime.sh; gawk programs in single quotes
# family: sysctl
# args: setting...
# Each setting "key=value" must be what every reader of the sysctl configuration applies, and no file those
# readers read may still assign another value (a file-grepping audit such as Amazon Inspector's CIS scan or
# OpenSCAP reads every line, and a later rename of our drop-in must not bring the old value back):
# - systemd-sysctl (boot): *.conf of sysctl.d in /etc, /run, /usr/local/lib, /usr/lib, /lib; a name in an
#   earlier directory shadows the same name in later ones; files read in name order; /etc/sysctl.conf only
#   through a sysctl.d link (99-sysctl.conf -> ../sysctl.conf on Amazon Linux).
# - procps `sysctl --system` (an administrator, tuned, cloud-init): the same directories, first name wins,
#   sorted by name (strcmp), then /etc/sysctl.conf LAST when it is a regular file (procps-ng src/sysctl.c,
#   PreloadSystem). procps-ng before 3.3.17 ("sysctl: Match systemd directory order", Debian #950788), such as
#   Amazon Linux 2's 3.3.10, lists /run/sysctl.d before /etc/sysctl.d, so there a /run file shadows /etc.
# In both the last explicit assignment wins, an explicit key beats a glob, and "-key" excludes a key from globs.
# Apply writes our drop-in, comments out a conflicting line in an /etc file (marker "disabled by CIS
# hardening <id>"), and shadows a vendor or runtime file (/usr/lib, /lib, /usr/local/lib, /run) that sets a
# conflicting value with a same-named copy in /etc/sysctl.d whose conflicting lines are commented out, so its
# other settings (systemd's rp_filter glob for every interface) still apply. On a running system the kernel
# value must match too. IPv6 keys are not applicable when IPv6 is disabled on the kernel command line.
# A setting "key=value@FAMILY" is part of the control's EKS exception only on renders for the other ip family:
# on a FAMILY render apply pins it even while the control is excepted (3.2.1 on an ipv4 render: IPv4 forwarding
# stays, the exception's reason, while net.ipv6.conf.all.forwarding = 0 is written, as CIS asks), and the
# excepted control's evidence names it. Dry runs and audits never write it.

HE_SYSCTL_DROPIN=/etc/sysctl.d/99-zz-cis-hardening.conf
HE_SYSCTL_SEP=$'\037'

# he_sysctl_readers: the readers whose precedence is modelled on this benchmark.
he_sysctl_readers() {
  if [[ ${HE_PROFILE_BENCHMARK:-} == al2 ]]; then printf '%s\n' systemd-sysctl procps-3.3.10; else printf '%s\n' systemd-sysctl procps; fi
}

# he_sysctl_files VAR READER: VAR (array) becomes the files READER reads, in its order (paths under the root).
he_sysctl_files() {
  local __sf=() __sf_rc=0
  he__he_sysctl_files_fill "$@" || __sf_rc=$?
  he_set_array "$1" "${__sf[@]}"
  return "$__sf_rc"
}
# bash 4.2 (AL2) has no namerefs: he__he_sysctl_files_fill fills __sf, a local of he_sysctl_files, which copies it to $1.
he__he_sysctl_files_fill() {
  local conf
  case $2 in
    systemd-sysctl) he_conf_files __sf sysctl.d /etc /run /usr/local/lib /usr/lib /lib; return 0 ;;
    procps) he_conf_files __sf sysctl.d /etc /run /usr/local/lib /usr/lib /lib ;;
    procps-3.3.10) he_conf_files __sf sysctl.d /run /etc /usr/local/lib /usr/lib /lib ;;
    *) printf '%s: unknown sysctl reader %s\n' "$HE_CURRENT" "$2" >&2; return 1 ;;
  esac
  he_resolve conf /etc/sysctl.conf  # procps stat()s it: a link to a regular file counts
  [[ -f $conf ]] && __sf+=("$conf")
  return 0
}

# he_sysctl_scan KEY=VALUE...: one gawk pass over what every reader reads. Prints, with fields separated by
# HE_SYSCTL_SEP: "E reader key value file:line" (the value the reader applies; empty value and place when
# nothing sets the key) for each reader and key, then "X key value file:line" for each active line, in any file
# a reader reads, that assigns another value than the wanted one.
he_sysctl_scan() {
  local setting wants="" reader args=() files=() readers=()
  for setting in "$@"; do wants+=${setting%%=*}$'\001'${setting#*=}$'\002'; done
  mapfile -t readers < <(he_sysctl_readers)
  for reader in "${readers[@]}"; do
    he_sysctl_files files "$reader"
    args+=("reader=$reader" "${files[@]}")
  done
  args+=(/dev/null)  # with only assignments as operands gawk would read its standard input
  gawk -v wants="$wants" -v readers="${readers[*]}" -v sep="$HE_SYSCTL_SEP" '
    function normkey(k,   first) {
      first = match(k, /[.\/]/)
      if (first && substr(k, first, 1) == "/") { gsub(/\./, "\001", k); gsub(/\//, ".", k); gsub(/\001/, "/", k) }
      return k
    }
    function glob2re(g,   re) {
      re = g; gsub(/[.+^$(){}|\\]/, "\\\\&", re); gsub(/\*/, ".*", re); gsub(/\?/, ".", re)
      return "^" re "$"
    }
    BEGIN {
      nk = split(wants, pairs, "\002") - 1
      for (i = 1; i <= nk; i++) { split(pairs[i], kv, "\001"); want[kv[1]] = kv[2]; key[i] = kv[1] }
      nr = split(readers, rd, " ")
    }
    /^[ \t]*([#;]|$)/ { next }
    {
      line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t\r]+$/, "", line)
      dash = 0; if (substr(line, 1, 1) == "-") { dash = 1; line = substr(line, 2) }
      eq = index(line, "=")
      if (!eq) { if (dash) excluded[reader, normkey(line)] = 1; next }
      k = substr(line, 1, eq - 1); sub(/[ \t]+$/, "", k); k = normkey(k)
      v = substr(line, eq + 1); sub(/^[ \t]+/, "", v); gsub(/[ \t]+/, " ", v)
      at = FILENAME ":" FNR
      if (k in want) {
        ev[reader, k] = v; eloc[reader, k] = at
        if (v != want[k] && !(at in conflict)) { conflict[at] = 1; xs = xs "X" sep k sep v sep at "\n" }
      } else if (k ~ /[*?[]/) {
        re = glob2re(k)
        for (i = 1; i <= nk; i++) if (key[i] ~ re) { gv[reader, key[i]] = v; gloc[reader, key[i]] = at }
      }
    }
    END {
      for (r = 1; r <= nr; r++) for (i = 1; i <= nk; i++) {
        k = key[i]; v = ""; at = ""
        if ((rd[r], k) in ev) { v = ev[rd[r], k]; at = eloc[rd[r], k] }
        else if ((rd[r], k) in gv && !((rd[r], k) in excluded)) { v = gv[rd[r], k]; at = gloc[rd[r], k] }
        print "E" sep rd[r] sep k sep v sep at
      }
      printf "%s", xs
    }' "${args[@]}"
}

# he_sysctl_neutralize FILE LINE: FILE (under the root, read by a reader) assigns a conflicting value at LINE.
he_sysctl_neutralize() {
  local file=$1 line=$2 rel dir name
  rel=$(he_rel "$file")
  if [[ $rel == /etc/* ]]; then
    he_neutralize_line "$file" "$line" /etc/sysctl.d
    return 0
  fi
  # A vendor or runtime file: a same-named copy in /etc/sysctl.d shadows it. A link in that place (to the
  # vendor file itself, say) is replaced, never written through; an administrator's own file of that name is
  # never replaced (it already shadows the file for every reader but procps before 3.3.17 and /run).
  name=${rel##*/}
  he_mkdir /etc/sysctl.d
  he_resolve dir /etc/sysctl.d
  if [[ -L $dir/$name ]]; then
    he_inside "$dir/$name"
    rm -f -- "$dir/$name"
  fi
  if [[ ! -e $dir/$name ]]; then
    he_neutralize_line "$file" "$line" /etc/sysctl.d
  fi
  if [[ $rel == /run/* ]]; then
    # Runtime configuration, not a package's file: procps before 3.3.17 reads /run before /etc, so the line
    # is commented out in place as well.
    he_edit_file "$rel" -v n="$line" -v id="$HE_CURRENT" 'FNR == n { print "# " $0 "  # disabled by CIS hardening " id; next } { print }'
  fi
}

# he_sysctl_reader_name READER: how a reader is named in evidence.
he_sysctl_reader_name() {
  case $1 in
    systemd-sysctl) printf 'systemd-sysctl' ;;
    procps) printf 'sysctl --system' ;;
    *) printf 'sysctl --system (%s)' "$1" ;;
  esac
}

he_sysctl_runtime() {
  local f=/proc/sys/${1//.//}
  [[ -r $f ]] && tr -s ' \t' ' ' <"$f"
}

he_fam_sysctl() {
  local mode=$1 setting key want runtime ok=() bad=() keys=() pinned=() tag a b c d i
  shift
  local ipv6_off=0
  if he_ipv6_disabled; then ipv6_off=1; fi
  for setting in "$@"; do
    key=${setting%%=*}
    if [[ $setting == *=*@* ]]; then
      if [[ ${setting##*@} == "${HE_PROFILE_IP_FAMILY:-}" ]]; then pinned+=("${setting%@*}"); fi
      setting=${setting%@*}
    fi
    if [[ $key == net.ipv6.* && $ipv6_off == 1 ]]; then continue; fi
    keys+=("$setting")
  done
  if [[ $mode == audit && ${HE_PHASE:-} == excepted && ${#pinned[@]} -gt 0 ]]; then
    # An excepted control: the runtime only audits it. The settings the exception does not concern on this
    # render are pinned here by apply (never by an audit or a dry run); the evidence reports them apart.
    if [[ ${HE_MODE:-} == apply && ${HE_DRY_RUN:-0} == 0 ]]; then he_fam_sysctl apply "${pinned[@]}"; fi
    local rest=() pinned_status pinned_detail
    for setting in "${keys[@]}"; do
      [[ " ${pinned[*]%%=*} " == *" ${setting%%=*} "* ]] || rest+=("$setting")
    done
    he_fam_sysctl audit "${pinned[@]}"
    pinned_status=$HE_STATUS pinned_detail=$HE_DETAIL
    if [[ ${#rest[@]} -gt 0 ]]; then he_fam_sysctl audit "${rest[@]}"; else he_pass ""; fi
    [[ $pinned_status == pass || $pinned_status == not-applicable ]] || HE_STATUS=fail
    HE_DETAIL+="${HE_DETAIL:+; }not excepted on an ${HE_PROFILE_IP_FAMILY} render, pinned: $pinned_detail"
    return 0
  fi
  if [[ ${#keys[@]} -eq 0 ]]; then
    [[ $mode == audit ]] && he_na "IPv6 is disabled"
    return 0
  fi
  if [[ $mode == apply ]]; then
    for setting in "${keys[@]}"; do
      key=${setting%%=*}
      want=${setting#*=}
      he_edit_file "$HE_SYSCTL_DROPIN" -v key="$key" -v val="$want" '
        { k = $0; sub(/^[ \t]+/, "", k); sub(/[ \t]*=.*/, "", k) }
        k == key && !done { print key " = " val; done = 1; next }
        k == key { next }
        { print }
        END { if (!done) { if (NR == 0) print "# CIS hardening: kernel parameters (managed by cis-harden.sh)"; print key " = " val } }'
      # Every conflicting line a reader still reads: commented out (/etc) or shadowed (vendor, runtime).
      # Each step removes one such line; the bound only guards against a file that cannot be changed.
      for ((i = 0; i < 50; i++)); do
        c=""
        while IFS=$HE_SYSCTL_SEP read -r tag a b c; do
          [[ $tag == X ]] && break
          c=""
        done < <(he_sysctl_scan "$setting")
        [[ -n $c ]] || break
        he_sysctl_neutralize "${c%:*}" "${c##*:}"
      done
      if he_live; then
        runtime=$(he_sysctl_runtime "$key" || true)
        if [[ $runtime != "$want" ]]; then printf '%s\n' "$want" >"/proc/sys/${key//.//}"; fi
      fi
    done
    return 0
  fi
  # Readers that apply the same value from the same place are named together; a conflicting line already named
  # as what a reader applies is not named twice.
  local -A wanted=() problem=() applied=() agreed=() named=() readers_of=()
  local places=() place
  for setting in "${keys[@]}"; do wanted[${setting%%=*}]=${setting#*=}; done
  while IFS=$HE_SYSCTL_SEP read -r tag a b c d; do
    if [[ $tag == E ]]; then  # reader a applies value c to key b (from d)
      if [[ $c == "${wanted[$b]}" ]]; then agreed[$b]="$b = $c"; continue; fi
      place=$b$HE_SYSCTL_SEP$c$HE_SYSCTL_SEP$d
      [[ -n ${readers_of[$place]:-} ]] || places+=("$place")
      readers_of[$place]+="${readers_of[$place]:+ and }$(he_sysctl_reader_name "$a")"
      named[$b$HE_SYSCTL_SEP$d]=1
    elif [[ -z ${named[$a$HE_SYSCTL_SEP$c]:-} ]]; then  # an active line at file:line c assigns value b to key a
      problem[$a]+="${problem[$a]:+, }$(he_rel "$c") still sets $b"
    fi
  done < <(he_sysctl_scan "${keys[@]}")
  for place in "${places[@]}"; do
    IFS=$HE_SYSCTL_SEP read -r a b c <<<"$place"
    d=applies
    [[ ${readers_of[$place]} != *" and "* ]] || d=apply
    if [[ -z $c ]]; then d="not set for ${readers_of[$place]}"; else d="${readers_of[$place]} $d $b from $(he_rel "$c")"; fi
    applied[$a]+="${applied[$a]:+, }$d"
  done
  for setting in "${keys[@]}"; do
    key=${setting%%=*}
    want=${setting#*=}
    if [[ -n ${applied[$key]:-}${problem[$key]:-} ]]; then
      d=${applied[$key]:-}
      bad+=("$key (want $want): $d${problem[$key]:+${d:+, }${problem[$key]}}")
      continue
    fi
    if he_live; then
      runtime=$(he_sysctl_runtime "$key" || true)
      if [[ $runtime != "$want" ]]; then bad+=("$key = $runtime in the running kernel (want $want)"); continue; fi
    fi
    ok+=("${agreed[$key]}")
  done
  local IFS=';'
  if [[ ${#bad[@]} -gt 0 ]]; then he_fail "${bad[*]}"; else he_pass "${ok[*]}"; fi
}
