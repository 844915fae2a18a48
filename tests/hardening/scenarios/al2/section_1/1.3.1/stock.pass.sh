#!/usr/bin/env bash
# AL2's rescue and emergency units run sulogin.
grep -q sulogin usr/lib/systemd/system/rescue.service
