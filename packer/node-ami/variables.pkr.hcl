# Every value comes from the var file the build runner generates (hardened_eks/ami_build); none
# has a default, so a missing one fails `packer validate` instead of building something else.

variable "region" {
  type        = string
  description = "Region the builder runs in and the AMI is registered in first."
}

variable "source_ami_id" {
  type        = string
  description = "AMI to start from: an EKS-optimized AMI (method 1) or a CIS Marketplace AMI (method 2)."
}

variable "instance_type" {
  type = string
}

variable "subnet_id" {
  type        = string
  description = "Private subnet: the builder gets no public address and is reached through SSM Session Manager."
}

variable "security_group_id" {
  type        = string
  description = "Builder security group without inbound rules."
}

variable "iam_instance_profile" {
  type        = string
  description = "Instance profile made for the build (SSM agent, and EKS binaries for method 2)."
}

variable "kms_key_id" {
  type        = string
  description = "KMS key ARN that encrypts the builder volume and the AMI's snapshots in the build region."
}

variable "region_kms_key_ids" {
  type        = map(string)
  description = "KMS key per extra region for the copies."
}

variable "ami_regions" {
  type        = list(string)
  description = "Extra regions the AMI is copied to."
}

variable "ami_users" {
  type        = list(string)
  description = "AWS accounts the AMI and its snapshots are shared with."
}

variable "ami_name" {
  type = string
}

variable "ami_description" {
  type = string
}

variable "ami_tags" {
  type        = map(string)
  description = "The tag scheme of hardened_eks/tags.py, for the AMI and its snapshots."
}

variable "run_tags" {
  type        = map(string)
  description = "Tags for the temporary builder instance and its volume."
}

variable "partition_volumes" {
  type = list(object({
    device_name = string
    volume_size = number
  }))
  description = "Extra EBS volumes, one per separate-partition control of the profile (empty at level 1)."
}

variable "volume_arguments" {
  type        = string
  description = "`MOUNTPOINT=DEVICE ...` for cis-harden.sh apply --volume, matching partition_volumes."
}

variable "partition_controls" {
  type        = string
  description = "Ids of the separate-partition controls, applied first (method 1)."
}

variable "site_controls" {
  type        = string
  description = "Ids of the controls method 2 applies with the site values (the CIS image cannot know them)."
}

variable "hardening_settings" {
  type        = string
  description = "`NAME=VALUE ...` site values for cis-harden.sh apply --set (remote-log-host)."
}

variable "root_device_name" {
  type = string
}

variable "volume_size" {
  type = number
}

variable "ssh_username" {
  type = string
}

variable "remote_work_dir" {
  type        = string
  description = "Where uploads and provisioner scripts go on the builder: never /tmp, which hardening makes noexec."
}

variable "shell_remote_folder" {
  type        = string
  description = "An existing folder outside /tmp for Packer's own uploaded provisioner scripts."
}

variable "hardening_script" {
  type        = string
  description = "Local path of the rendered cis-harden.sh."
}

variable "build_dir" {
  type        = string
  description = "Local folder of this build: audit reports, manifest and log land here."
}

variable "gate_command" {
  type        = string
  description = "Local command that compares the two audits and fails the build on a regression."
}

variable "cis_level" {
  type = number
}

variable "os_family" {
  type = string
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version (method 2 installs its node components)."
}

variable "eks_ami_release" {
  type        = string
  description = "Release tag of awslabs/amazon-eks-ami whose build scripts install the EKS node components (method 2)."
}

variable "temporary_key_pair_name" {
  type        = string
  description = "Name of Packer's temporary key pair: the AMI name, so an interrupted run's pair can be swept."
}

variable "eks_binaries" {
  type        = string
  description = "Method 2: `<kubernetes patch>/<build date>` of the EKS node binaries, resolved by the plan."
}

variable "eks_install_controls" {
  type        = string
  description = "Method 2: ids of the controls the EKS install can undo, applied again after it with our content."
}

variable "build_hash" {
  type = string
}
