#!/usr/bin/env bash
# Builds an offline base image for Malachite's compute nodes: a minimal Debian bookworm
# with Node.js, made with debootstrap from Debian's own packages and imported into Docker.
# Use it where no container registry can be reached; elsewhere the task image builds
# FROM node:20-bookworm-slim and this script is not needed.
#
#   docker/build-base-image.sh [TAG]        (default tag: malachite-base:bookworm)
#
# Needs root, debootstrap (installed from Debian's packages when missing) and a Docker engine.
set -euo pipefail

tag="${1:-${MALACHITE_OFFLINE_BASE_IMAGE:-malachite-base:bookworm}}"

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag is present"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "installing debootstrap from Debian's packages..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

# Use the mirror this machine's apt already uses, so no other host is contacted.
mirror="$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
  | head -n 1 | grep -oE 'https?://[^ ]+' || true)"
mirror="${MALACHITE_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}"

root="$(mktemp -d /tmp/malachite-rootfs.XXXXXX)"
trap 'rm -rf "$root"' EXIT

echo "debootstrap bookworm from $mirror into $root (about 90 s)..."
debootstrap --variant=minbase --include=nodejs,ca-certificates bookworm "$root" "$mirror" >/tmp/malachite-debootstrap.log 2>&1 \
  || { tail -n 30 /tmp/malachite-debootstrap.log; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

echo "importing $tag..."
tar -C "$root" -c . | docker import --change 'CMD ["/bin/bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$tag" >/dev/null
echo "base image $tag built"
