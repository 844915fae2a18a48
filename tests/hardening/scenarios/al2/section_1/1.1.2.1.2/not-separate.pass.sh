#!/usr/bin/env bash
# expect: not-applicable
# Not a separate mount: the option does not apply (1.1.2.1.1 reports it).
true
