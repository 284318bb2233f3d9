#!/usr/bin/env bash
# Builds the image of Malachite itself (the top-level Dockerfile) without any network:
#
#   docker/build-malachite-image.sh [TAG] [TARBALL]      (default tag: malachite)
#
# Stages in .container-build/ the only two inputs of the build (see .dockerignore):
#   malachite.tgz  the npm package: TARBALL, or `npm pack` (which builds dist/ first); its
#                  dependencies are bundled, so the image installs it by unpacking it;
#   node           this machine's Node.js binary (Node >= 20; Debian bookworm's nodejs is 18).
# The base is the node image's own: $MALACHITE_BASE_IMAGE, else node:20-bookworm-slim, else
# malachite-base:bookworm (docker/prepare-host.sh builds it offline). Nothing is pulled.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tag="${1:-malachite}"
tarball="${2:-}"
stage="$root/.container-build"

die() { echo "build-malachite-image: $*" >&2; exit 1; }
present() { docker image inspect "$1" >/dev/null 2>&1; }

base="${MALACHITE_BASE_IMAGE:-}"
if [ -z "$base" ]; then
  if present node:20-bookworm-slim; then base=node:20-bookworm-slim; else base=malachite-base:bookworm; fi
fi
present "$base" || die "base image $base is not present; run 'sh docker/prepare-host.sh' (builds malachite-base:bookworm offline)"

node_bin="$(node -p process.execPath)"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 20 ] || die "Node >= 20 is needed to stage into the image; this machine's node ($node_bin) is $(node --version)"

rm -rf "$stage"
mkdir -p "$stage"
if [ -z "$tarball" ]; then
  echo "build-malachite-image: npm pack (builds dist/ first)..."
  name="$(cd "$root" && npm pack --silent --pack-destination "$stage" | tail -n 1)"
  mv "$stage/$name" "$stage/malachite.tgz"
else
  cp "$tarball" "$stage/malachite.tgz"
fi
cp "$node_bin" "$stage/node"

echo "build-malachite-image: building $tag FROM $base with Node $(node --version)..."
docker build --build-arg "BASE_IMAGE=$base" -t "$tag" "$root"
rm -rf "$stage"
echo "build-malachite-image: built $tag"
