# Malachite itself as a container image: `malachite serve` creating node containers on the host's
# engine. Built offline by docker/build-malachite-image.sh, which stages the two inputs below in
# .container-build/ (nothing else is sent to the engine, see .dockerignore) and picks BASE_IMAGE:
# the node image's base, present locally (node:20-bookworm-slim, or malachite-base:bookworm made
# offline by docker/build-base-image.sh). Nothing is pulled or downloaded.
#
# Run it with host networking, the engine's socket and the data directory at the same path inside
# and outside (node directories are bind-mounted by the host's engine, which sees host paths):
#   docker run --network host --pid host -v /var/run/docker.sock:/var/run/docker.sock \
#     -v "$DIR:$DIR" malachite serve --data-dir "$DIR"
ARG BASE_IMAGE=malachite-base:bookworm
FROM ${BASE_IMAGE}

# Node.js >= 20: Debian bookworm's nodejs (in malachite-base) is 18, so the build host's own
# Node binary is staged and put first on the PATH.
COPY .container-build/node /usr/local/bin/node

# The npm package as `npm pack` makes it: its dependencies are bundled, so unpacking it is
# installing it (ADD unpacks a local .tgz).
ADD .container-build/malachite.tgz /opt/

RUN set -eu; \
    mv /opt/package /opt/malachite; \
    ln -s /opt/malachite/dist/src/cli/main.js /usr/local/bin/malachite; \
    case "$(node --version)" in \
      v1[0-9].*|v[0-9].*) echo "malachite image: Node >= 20 is needed, the staged binary is $(node --version)" >&2; exit 1 ;; \
    esac; \
    node /opt/malachite/dist/src/cli/main.js --help >/dev/null

# Tells serve it runs in a container, so it checks the mounts it needs (see src/cli/container-checks.ts).
ENV MALACHITE_IN_CONTAINER=1
LABEL org.malachite.image="malachite"
ENTRYPOINT ["/usr/local/bin/node", "/opt/malachite/dist/src/cli/main.js"]
CMD ["--help"]
