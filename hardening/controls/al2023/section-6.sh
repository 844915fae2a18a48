# shellcheck shell=bash
# CIS Amazon Linux 2023 v1.0.0 section 6.2 (local users and groups): the checks live in hardening/lib/local_users.sh.
he_ctl_6_2_1() { he_users_passwords_shadowed "$1"; }
he_ctl_6_2_2() { he_users_no_empty_password "$1"; }
he_ctl_6_2_3() { he_users_primary_groups_exist "$1"; }
he_ctl_6_2_4() { he_dup_control "$1" /etc/passwd 3 uid; }
he_ctl_6_2_5() { he_dup_control "$1" /etc/group 3 gid; }
he_ctl_6_2_6() { he_dup_control "$1" /etc/passwd 1 "user name"; }
he_ctl_6_2_7() { he_dup_control "$1" /etc/group 1 "group name"; }
he_ctl_6_2_8() { he_users_root_path "$1"; }
he_ctl_6_2_9() { he_users_root_only_uid0 "$1"; }
he_ctl_6_2_10() { he_users_interactive_homes "$1"; }
he_ctl_6_2_11() { he_users_interactive_dot_files "$1"; }
