#!/bin/bash
# Method 1: apply our CIS remediation to the EKS-optimized AMI, in two phases.
#   PHASE=partitions  format the extra EBS volumes of the separate-partition controls (VOLUMES="MP=DEVICE ...",
#                     PARTITION_CONTROLS="ID ...") and reboot, so that whatever the later controls write under
#                     /var lands on the new volumes instead of in the root copy they hide. Nothing without volumes.
#   PHASE=all         apply every control, with the site values (SETTINGS="NAME=VALUE ...").
# Method 2 (CIS Marketplace AMI): our remediation is not applied, except for the controls that only a site value
# can meet (the CIS image cannot know the site's log host):
#   PHASE=site        apply SITE_CONTROLS="ID ..." with SETTINGS; nothing when there are none.
# apply's exit 1 (controls still failing or deferred to the next boot) is judged by the gate after the final
# reboot; exit 2 (bad arguments, a missing volume or site value), 3 (a command failed) or any other failure
# stops the build with the script's own message.
set -euo pipefail
: "${WORK_DIR:?WORK_DIR is required}" "${PHASE:?PHASE is required (partitions, all or site)}"

# block_device NAME: the block device behind an attachment name. On Nitro, EBS volumes are NVMe devices and
# amazon-ec2-utils' udev rule links the name from the block device mapping (/dev/sdf) to them; Xen instances
# name them /dev/xvdf. Waits for udev a little: the links appear shortly after boot.
block_device() {
  local name=$1 twin candidate try
  case $name in
    /dev/sd*) twin=/dev/xvd${name#/dev/sd} ;;
    /dev/xvd*) twin=/dev/sd${name#/dev/xvd} ;;
    *) twin=$name ;;
  esac
  for ((try = 1; try <= ${DEVICE_WAIT_TRIES:-6}; try++)); do
    for candidate in "$name" "$twin"; do
      if [[ -b $candidate ]]; then
        readlink -f "$candidate"
        return 0
      fi
    done
    udevadm settle --timeout=10 2>/dev/null || sleep "$try"
  done
  return 1
}

# Bash 4.2 (Amazon Linux 2) calls an empty array unbound under set -u: expand with ${a[@]+"${a[@]}"}.
apply_args=()
for volume in ${VOLUMES:-}; do
  mountpoint=${volume%%=*} name=${volume#*=}
  if ! device=$(block_device "$name"); then
    echo "harden: no block device $name for $mountpoint: the build attaches one per separate-partition control" \
      "(is amazon-ec2-utils' udev rule missing?)" >&2
    exit 2
  fi
  echo "harden: $mountpoint on $name ($device)"
  apply_args+=(--volume "$mountpoint=$device")
done
for setting in ${SETTINGS:-}; do apply_args+=(--set "$setting"); done

# run_apply ARGS...: cis-harden.sh apply; prints its errors again at the end so the build log's tail shows them.
run_apply() {
  local errors="$WORK_DIR/apply-$PHASE.err" status=0
  bash "$WORK_DIR/cis-harden.sh" apply "$@" 2>"$errors" || status=$?
  cat "$errors" >&2
  return "$status"
}

# judge_apply STATUS WHAT: 0 all pass; 1 some controls still fail or wait for the next boot (SELinux relabel,
# a new mount): the audit after the reboot decides, through the gate; 2 (usage: a bad argument, a missing
# volume or site value), 3 (the tool could not do its work: a command failed) or anything else stops the build.
judge_apply() {
  local status=$1 what=$2
  case $status in
    0) echo "harden: every applied control passes $what" ;;
    1) echo "harden: some controls still fail or wait for the reboot $what; the audit after reboot decides" >&2 ;;
    *)
      echo "harden: cis-harden.sh apply stopped with status $status $what (message above); the build stops" >&2
      exit "$status"
      ;;
  esac
}

# apply_only WHAT ID...: apply just these controls, judged as above.
apply_only() {
  local what=$1 control only=() status=0
  shift
  for control in "$@"; do only+=(--only "$control"); done
  run_apply "${only[@]}" ${apply_args[@]+"${apply_args[@]}"} || status=$?
  judge_apply "$status" "$what"
}

case $PHASE in
  partitions)
    if [[ -z ${PARTITION_CONTROLS//[[:space:]]/} ]]; then
      echo "harden: no separate-partition volumes in this profile"
      exit 0
    fi
    # shellcheck disable=SC2086 # one control id per word
    apply_only "while preparing the partitions" $PARTITION_CONTROLS
    echo "harden: partitions prepared; rebooting to mount them"
    systemctl reboot
    ;;
  all)
    status=0
    run_apply ${apply_args[@]+"${apply_args[@]}"} || status=$?
    judge_apply "$status" "(all controls)"
    ;;
  site)
    # Blank means none: an `apply` without --only would remediate the whole CIS image.
    if [[ -z ${SITE_CONTROLS//[[:space:]]/} ]]; then
      echo "harden: no site values for this image"
      exit 0
    fi
    # shellcheck disable=SC2086 # one control id per word
    apply_only "for the site values" $SITE_CONTROLS
    ;;
  *)
    echo "harden: PHASE must be partitions, all or site, not '$PHASE'" >&2
    exit 2
    ;;
esac
