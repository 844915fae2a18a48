#!/usr/bin/env bash
snap=var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs
pod=var/lib/kubelet/pods/0d6c1f2e-3b4a-4c5d-8e9f-001122334455/volumes/kubernetes.io~empty-dir/cache
mkdir -p "$snap/tmp" "$snap/usr/share/nginx" "$pod" run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs

# Image files carry the image's UIDs (nginx 101) and pod volumes the pod's fsGroup: exempt.
printf 'x\n' > "$snap/usr/share/nginx/index.html"
chown 101:101 "$snap/usr/share/nginx/index.html"
chown 1000:2000 "$pod"
