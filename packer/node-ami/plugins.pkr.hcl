# Kept in its own file on purpose: the Packer that Debian ships (1.6.6) rejects this block, so the
# repository's validation test checks a copy of this folder without it. Current Packer needs it
# for `packer init`.
packer {
  required_version = ">= 1.10.0"
  # An exact plugin version: it is part of the template digest, so a new plugin is a new build.
  required_plugins {
    amazon = {
      version = "= 1.8.2"
      source  = "github.com/hashicorp/amazon"
    }
  }
}
