#!/bin/sh
# Makes this machine ready for Malachite's local backend, without ever pulling an image:
#   1. a Docker engine that answers (installs Debian's docker.io and starts dockerd when run as
#      root on a Debian-like host where none runs);
#   2. a base image for the node image: $MALACHITE_BASE_IMAGE, node:20-bookworm-slim or
#      malachite-base:bookworm, the last one built offline by docker/build-base-image.sh.
# Idempotent, and a quiet no-op when everything is present. Prints one line per action taken.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
dockerd_log=/tmp/malachite-dockerd.log

say() { echo "prepare-host: $*"; }
die() { echo "prepare-host: $*" >&2; exit 1; }
engine_up() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
image_present() { docker image inspect "$1" >/dev/null 2>&1; }

# --- 1. Docker engine --------------------------------------------------------------------------
if ! engine_up; then
  case "${DOCKER_HOST:-unix:///var/run/docker.sock}" in
    unix:///var/run/docker.sock) ;;
    *) die "the Docker engine at DOCKER_HOST=$DOCKER_HOST does not answer; start it or unset DOCKER_HOST" ;;
  esac
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "a Docker engine is needed and none answers; start one (or run this script as root on Debian/Ubuntu to install and start docker.io)"
  fi
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    say "installing docker.io with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
  fi
  if ! engine_up; then
    say "starting dockerd in the background (log: $dockerd_log)"
    nohup setsid dockerd >"$dockerd_log" 2>&1 </dev/null &
    waited=0
    until [ -S /var/run/docker.sock ] && engine_up; do
      if [ "$waited" -ge 60 ]; then
        tail -n 20 "$dockerd_log" >&2 || true
        die "dockerd did not answer within 60 s (see $dockerd_log)"
      fi
      sleep 1
      waited=$((waited + 1))
    done
    say "dockerd is up after ${waited} s"
  fi
fi

# --- 2. Base image of the node image (never pulled) -------------------------------------------
if [ -n "${MALACHITE_BASE_IMAGE:-}" ] && image_present "$MALACHITE_BASE_IMAGE"; then
  exit 0
fi
if [ -n "${MALACHITE_BASE_IMAGE:-}" ]; then
  say "warning: MALACHITE_BASE_IMAGE=$MALACHITE_BASE_IMAGE is not present locally; load it or unset the variable"
fi
if image_present node:20-bookworm-slim || image_present malachite-base:bookworm; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  die "no base image present (node:20-bookworm-slim, malachite-base:bookworm); run this script as root to build malachite-base:bookworm offline, or 'docker pull node:20-bookworm-slim' where a registry is reachable"
fi
say "no base image present; building malachite-base:bookworm with debootstrap"
bash "$here/build-base-image.sh" malachite-base:bookworm
