#!/usr/bin/env bash
# A node without /etc/dnf/dnf.conf (dnf then uses its compiled-in defaults): the audit reads no gpgcheck and
# fails instead of stopping the run; apply creates the file with [main] gpgcheck=1, as CIS says.
rm etc/dnf/dnf.conf
