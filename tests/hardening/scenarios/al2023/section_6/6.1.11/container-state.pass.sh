#!/usr/bin/env bash
snap=var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs
pod=var/lib/kubelet/pods/0d6c1f2e-3b4a-4c5d-8e9f-001122334455/volumes/kubernetes.io~empty-dir/cache
mkdir -p "$snap/tmp" "$snap/usr/share/nginx" "$pod" run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs

# Container and kubelet state is exempt: an image's /tmp without sticky bit, an emptyDir (0777 by design).
chmod 0777 "$snap/tmp" "$pod" run/containerd/io.containerd.runtime.v2.task/k8s.io/abc/rootfs
printf 'x\n' > "$snap/usr/share/nginx/index.html"
chmod 0666 "$snap/usr/share/nginx/index.html"
