"""Hardened AMI builds: the build spec and its hash, the Packer runner, the audit gate, AMI clean-up.

The HardenedAmi component (components/hardened_ami.py) turns a (pattern, level) into a BuildSpec;
a pulumi-command Command runs `python -m hardened_eks.ami_build create|update|delete` with it.
"""

from hardened_eks.ami_build.spec import SPEC_ENV, BuildOutput, BuildSpec, hardening_script

__all__ = ["SPEC_ENV", "BuildOutput", "BuildSpec", "hardening_script"]
