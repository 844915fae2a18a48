#!/usr/bin/env bash
# authconfig writes nullok on the auth and password pam_unix rules.
true
