"""hardened-eks: CIS-hardened EKS node AMIs, proven on a real cluster. See README.md."""

from hardened_eks.program import main

main()
