# Kept in its own file on purpose: the Packer that Debian ships (1.6.6) rejects this block, so the
# repository's validation test checks a copy of this folder without it. Current Packer needs it
# for `packer init`.
packer {
  required_version = ">= 1.10.0"
  required_plugins {
    amazon = {
      version = ">= 1.3.2"
      source  = "github.com/hashicorp/amazon"
    }
  }
}
