"""Use the hardened AMIs outside this stack: what the stack publishes per (pattern, level), and the material
`python -m hardened_eks consume` prints from it (Karpenter EC2NodeClass, launch template, Terraform).

`facts` says what a consumer needs (AMI ids per region, extra volumes, the KMS key, bootstrap style, user data,
scan tag); `publish` writes those facts to SSM parameters; `render` turns a stack's outputs into material;
`cli` is the command.
"""
