#!/usr/bin/env bash
chmod 600 boot/grub2/grub.cfg boot/grub2/grubenv
chown 1000:1000 boot/grub2/grubenv
