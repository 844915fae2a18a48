#!/usr/bin/env bash
# Nothing sets these on the stock AL2 EKS node (kernel defaults differ from CIS).
true
