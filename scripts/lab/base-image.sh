#!/usr/bin/env bash
# Assembles an offline JRE base image (no registry to pull one from): a jlinked runtime of the JDK in
# JAVA_HOME plus the shared libraries it and TensorFlow need, copied from this host. Writes an image
# tarball to $1 and imports it into podman as $2. Real deployments use a public base (eclipse-temurin).
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
out_tar="$1"
image="$2"

# What the services use: logging and management (metrics), naming (Netty's DNS), crypto (https price
# sources), unsupported (Netty, signals), jfr and management (diagnostics), net.http (none today, cheap).
modules="java.base,java.logging,java.management,java.naming,java.net.http,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{etc,tmp,home/nonroot,opt/java,lib64,lib/x86_64-linux-gnu,usr/lib/x86_64-linux-gnu}
chmod 1777 "$root/tmp"

"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$root/opt/java/openjdk"

copy_lib() { # copies a shared library (following its symlink) to the same path in the image
  local lib="$1" real
  real="$(readlink -f "$lib")"
  mkdir -p "$root$(dirname "$lib")"
  cp "$real" "$root$lib"
}
# The JVM's own dependencies, as ldd lists them, and TensorFlow's C++ runtime.
for lib in $(ldd "$JAVA_HOME/bin/java" "$JAVA_HOME/lib/server/libjvm.so" | awk '$3 ~ /^\// {print $3}' | sort -u); do
  case "$lib" in "$JAVA_HOME"*) ;; *) copy_lib "$lib" ;; esac
done
for lib in /lib/x86_64-linux-gnu/libz.so.1 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libgcc_s.so.1 \
           /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
  [ -e "$lib" ] && copy_lib "$lib"
done
copy_lib /lib64/ld-linux-x86-64.so.2

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
chown 65532:65532 "$root/home/nonroot"

tar -C "$root" --numeric-owner -cf "$out_tar" .
podman import -q \
  --change 'ENV JAVA_HOME=/opt/java/openjdk' \
  --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  "$out_tar" "$image" >/dev/null
log "base image $image: $(du -m "$out_tar" | cut -f1) MB"
