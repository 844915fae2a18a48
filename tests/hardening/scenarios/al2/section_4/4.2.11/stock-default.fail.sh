#!/usr/bin/env bash
# Issue 18, section 2: no IgnoreRhosts line; the compiled-in default (yes) complies, but it is pinned so that a line
# added later cannot change it unseen and a file-reading audit finds it.
true
