#!/usr/bin/env bash
snap=var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs
pod=var/lib/kubelet/pods/0d6c1f2e-3b4a-4c5d-8e9f-001122334455/volumes/kubernetes.io~empty-dir/cache
mkdir -p "$snap/tmp" "$snap/usr/share/nginx" "$pod" run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs

# Trap: kubelet's own config is outside the exempt pod volumes; a cache dir without sticky bit; the exempt
# paths stay untouched by apply.
chmod 0666 etc/kubernetes/kubelet/config.json
mkdir -p var/cache/node-tools
chmod 0777 var/cache/node-tools "$pod"
