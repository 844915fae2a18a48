#!/usr/bin/env bash
# grub.cfg and grubenv are 0644 on the fixture.
true
