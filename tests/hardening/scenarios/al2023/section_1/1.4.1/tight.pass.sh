#!/usr/bin/env bash
chmod 600 boot/grub2/grub.cfg boot/grub2/grubenv
