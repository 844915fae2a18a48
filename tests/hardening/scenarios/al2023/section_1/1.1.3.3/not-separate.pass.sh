#!/usr/bin/env bash
# expect: not-applicable
# Not a separate mount: the option control does not apply (1.1.3.1 reports it).
true
