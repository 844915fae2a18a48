#!/usr/bin/env bash
# apply: deferred
# AL2 ships permissive; relabel and setenforce need the build instance.
true
