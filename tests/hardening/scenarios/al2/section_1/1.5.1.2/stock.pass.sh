#!/usr/bin/env bash
! grep -q 'selinux=0' etc/default/grub boot/grub2/grub.cfg
