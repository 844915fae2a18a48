"""The hardened-eks pipeline: deploy stacks with the Automation API, collect results, write one comparison report."""
