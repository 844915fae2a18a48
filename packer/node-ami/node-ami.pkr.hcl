# One hardened EKS node AMI. The build runner picks the method with
# `-only=amazon-ebs.<method>`; both share one builder definition.

source "amazon-ebs" "node" {
  region        = var.region
  source_ami    = var.source_ami_id
  instance_type = var.instance_type

  # A private builder reached through SSM Session Manager: no public address, no inbound rule,
  # and only a temporary key pair (removed from the image by cleanup.sh).
  subnet_id                   = var.subnet_id
  security_group_id           = var.security_group_id
  associate_public_ip_address = false
  iam_instance_profile        = var.iam_instance_profile
  ssh_interface               = "session_manager"
  ssh_username                = var.ssh_username
  ssh_timeout                 = "20m"
  temporary_key_pair_type     = "ed25519"
  # Named after the build, and tagged with run_tags: a run that was killed can be swept by the next one.
  temporary_key_pair_name = var.temporary_key_pair_name
  # Some CIS images ship without the SSM agent; the build cannot connect without it.
  user_data_file = "${path.root}/../scripts/builder-user-data.sh"

  # packer-1.6.6-unknown: begin (Debian's Packer predates these settings; the validation test drops them)
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
  imds_support = "v2.0"
  # packer-1.6.6-unknown: end

  launch_block_device_mappings {
    device_name           = var.root_device_name
    volume_size           = var.volume_size
    volume_type           = "gp3"
    iops                  = 3000
    throughput            = 125
    encrypted             = true
    kms_key_id            = var.kms_key_id
    delete_on_termination = true
  }
  # One encrypted volume per separate-partition control of the profile (hardened_eks/ami_build/volumes.py).
  # The AMI keeps them in its block device mappings, so every node launched from it gets them.
  dynamic "launch_block_device_mappings" {
    for_each = var.partition_volumes
    content {
      device_name           = launch_block_device_mappings.value.device_name
      volume_size           = launch_block_device_mappings.value.volume_size
      volume_type           = "gp3"
      iops                  = 3000
      throughput            = 125
      encrypted             = true
      kms_key_id            = var.kms_key_id
      delete_on_termination = true
    }
  }
  encrypt_boot       = true
  kms_key_id         = var.kms_key_id
  region_kms_key_ids = var.region_kms_key_ids
  ami_regions        = var.ami_regions
  ami_users          = var.ami_users
  snapshot_users     = var.ami_users

  ami_name        = var.ami_name
  ami_description = var.ami_description
  # The name carries the build hash: an existing image of that name holds the very same inputs.
  force_deregister      = true
  force_delete_snapshot = true
  tags                  = var.ami_tags
  snapshot_tags         = var.ami_tags
  run_tags              = var.run_tags
  run_volume_tags       = var.run_tags

  # The encrypted copy, and every ami_regions copy of first snapshots, can take longer than the plugin's
  # 30-minute default wait; upstream EKS AMI builds wait up to 4 hours (30 s x 480).
  aws_polling {
    delay_seconds = 30
    max_attempts  = 480
  }
}

build {
  source "amazon-ebs.node" {
    name = "harden-eks-optimized"
  }
  source "amazon-ebs.node" {
    name = "eks-on-cis-ami"
  }

  provisioner "shell" {
    remote_folder    = var.shell_remote_folder
    execute_command  = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = ["WORK_DIR=${var.remote_work_dir}", "BUILD_USER=${var.ssh_username}"]
    script           = "${path.root}/../scripts/prepare-builder.sh"
  }

  provisioner "file" {
    source      = var.hardening_script
    destination = "${var.remote_work_dir}/cis-harden.sh"
  }

  provisioner "shell" {
    remote_folder    = var.shell_remote_folder
    execute_command  = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = ["WORK_DIR=${var.remote_work_dir}", "PHASE=before", "BUILD_USER=${var.ssh_username}"]
    script           = "${path.root}/../scripts/audit.sh"
  }

  provisioner "file" {
    direction   = "download"
    source      = "${var.remote_work_dir}/audit-before.json"
    destination = "${var.build_dir}/audit-before.json"
  }

  # Method 1: our remediation on the EKS-optimized AMI. First the separate partitions, then a reboot
  # (when there are any), so that everything the other controls write under /var lands on the new volumes.
  provisioner "shell" {
    # Packer removes its script after the command, retrying within this provisioner's own start_retry_timeout:
    # the reboot has to be outlasted here too.
    start_retry_timeout = "15m"
    only                = ["amazon-ebs.harden-eks-optimized"]
    remote_folder       = var.shell_remote_folder
    execute_command     = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = [
      "WORK_DIR=${var.remote_work_dir}",
      "PHASE=partitions",
      "VOLUMES=${var.volume_arguments}",
      "PARTITION_CONTROLS=${var.partition_controls}",
    ]
    script            = "${path.root}/../scripts/harden.sh"
    expect_disconnect = true
  }

  # After a reboot the Session Manager tunnel needs time to come back (a relabel adds a second boot).
  provisioner "shell" {
    only                = ["amazon-ebs.harden-eks-optimized"]
    pause_before        = "30s"
    start_retry_timeout = "15m"
    remote_folder       = var.shell_remote_folder
    execute_command     = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = [
      "WORK_DIR=${var.remote_work_dir}",
      "PHASE=all",
      "VOLUMES=${var.volume_arguments}",
      "SETTINGS=${var.hardening_settings}",
    ]
    script = "${path.root}/../scripts/harden.sh"
  }

  # Method 2: EKS node components on the CIS AMI, with the fixes a CIS base needs. Amazon Linux 2 first gets
  # the kernel upstream builds with, and boots into it.
  provisioner "shell" {
    # Packer removes its script after the command, retrying within this provisioner's own start_retry_timeout:
    # the reboot has to be outlasted here too.
    start_retry_timeout = "15m"
    only                = ["amazon-ebs.eks-on-cis-ami"]
    remote_folder       = var.shell_remote_folder
    execute_command     = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = [
      "WORK_DIR=${var.remote_work_dir}",
      "PHASE=kernel",
      "OS_FAMILY=${var.os_family}",
      "KUBERNETES_VERSION=${var.kubernetes_version}",
      "EKS_AMI_RELEASE=${var.eks_ami_release}",
      "AWS_REGION=${var.region}",
    ]
    script            = "${path.root}/../scripts/install-eks-node.sh"
    expect_disconnect = true
  }

  provisioner "shell" {
    only                = ["amazon-ebs.eks-on-cis-ami"]
    pause_before        = "30s"
    start_retry_timeout = "15m"
    remote_folder       = var.shell_remote_folder
    execute_command     = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = [
      "WORK_DIR=${var.remote_work_dir}",
      "PHASE=install",
      "OS_FAMILY=${var.os_family}",
      "KUBERNETES_VERSION=${var.kubernetes_version}",
      "EKS_AMI_RELEASE=${var.eks_ami_release}",
      "EKS_BINARIES=${var.eks_binaries}",
      "AWS_REGION=${var.region}",
    ]
    script = "${path.root}/../scripts/install-eks-node.sh"
  }

  provisioner "shell" {
    only             = ["amazon-ebs.eks-on-cis-ami"]
    remote_folder    = var.shell_remote_folder
    execute_command  = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = ["CIS_LEVEL=${var.cis_level}", "OS_FAMILY=${var.os_family}"]
    script           = "${path.root}/../scripts/eks-on-cis-fixes.sh"
  }

  # Method 2: with our content, the controls only a site value meets (the site's log host) and those the
  # EKS install can undo (audit rules for its new set-uid programs, SELinux enforcing with container-selinux).
  provisioner "shell" {
    only            = ["amazon-ebs.eks-on-cis-ami"]
    remote_folder   = var.shell_remote_folder
    execute_command = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = [
      "WORK_DIR=${var.remote_work_dir}",
      "PHASE=site",
      "SITE_CONTROLS=${trimspace(join(" ", compact([var.site_controls, var.eks_install_controls])))}",
      "SETTINGS=${var.hardening_settings}",
    ]
    script = "${path.root}/../scripts/harden.sh"
  }

  # Audit what boots, not what was written: reboot first.
  provisioner "shell" {
    # Packer removes its script after the command, retrying within this provisioner's own start_retry_timeout:
    # the reboot has to be outlasted here too.
    start_retry_timeout = "15m"
    remote_folder       = var.shell_remote_folder
    execute_command     = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    inline              = ["systemctl reboot"]
    expect_disconnect   = true
  }

  provisioner "shell" {
    pause_before = "30s"
    # AL2 moving from SELinux disabled relabels the whole file system on this boot and reboots once more.
    start_retry_timeout = "30m"
    remote_folder       = var.shell_remote_folder
    execute_command     = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars    = ["WORK_DIR=${var.remote_work_dir}", "PHASE=after", "BUILD_USER=${var.ssh_username}"]
    script              = "${path.root}/../scripts/audit.sh"
  }

  provisioner "file" {
    direction   = "download"
    source      = "${var.remote_work_dir}/audit-after.json"
    destination = "${var.build_dir}/audit-after.json"
  }

  # The gate runs here, before the image exists: a failing build leaves no AMI behind.
  provisioner "shell-local" {
    inline = [var.gate_command]
  }

  provisioner "shell" {
    remote_folder    = var.shell_remote_folder
    execute_command  = "{{ .Vars }} sudo -E bash '{{ .Path }}'"
    environment_vars = ["WORK_DIR=${var.remote_work_dir}", "BUILD_USER=${var.ssh_username}"]
    script           = "${path.root}/../scripts/cleanup.sh"
  }

  post-processor "manifest" {
    output     = "${var.build_dir}/manifest.json"
    strip_path = true
    custom_data = {
      build_hash    = var.build_hash
      source_ami_id = var.source_ami_id
    }
  }
}
