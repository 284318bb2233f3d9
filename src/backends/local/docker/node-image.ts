/**
 * Builds (once) the image compute-node containers run: docker/Dockerfile on top of a base image
 * that is already present locally. Nothing is ever pulled.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import Dockerode from "dockerode";
import { createLogger, type Logger } from "../../../core/logger.js";
import { dockerCall, dockerEndpoint } from "./docker-call.js";

export const NODE_IMAGE_REPOSITORY = "malachite-node";
/** Bases tried in order when none is given: the official Node image, then the offline one. */
export const DEFAULT_BASE_IMAGES: readonly string[] = ["node:20-bookworm-slim", "malachite-base:bookworm"];

export interface EnsureNodeImageOptions {
  docker?: Dockerode;
  /** A base image that must be present locally; by default the first present of DEFAULT_BASE_IMAGES. */
  baseImage?: string;
  /** Defaults to the repository's docker/Dockerfile. */
  dockerfilePath?: string;
  log?: Logger;
}

/** Results per engine and inputs, so a second call in the same process does not even hash again. */
const ensured = new Map<string, Promise<string>>();

/**
 * Returns the tag `malachite-node:<hash12>` of the node image, building it if it is missing.
 * The hash covers the Dockerfile's bytes and the base image's ID, so a changed Dockerfile or base
 * gives a new tag. Safe when several processes call it at once: each builds under a private
 * temporary tag and only then tags the result.
 */
export async function ensureNodeImage(options: EnsureNodeImageOptions = {}): Promise<string> {
  const docker = options.docker ?? new Dockerode();
  const log = options.log ?? createLogger("malachite:node-image");
  const dockerfilePath = options.dockerfilePath ?? defaultDockerfilePath();
  const key = JSON.stringify([dockerEndpoint(docker), options.baseImage ?? null, dockerfilePath]);

  const previous = ensured.get(key);
  if (previous) {
    const tag = await previous.catch(() => undefined);
    if (tag !== undefined && (await imageId(docker, log, tag)) !== undefined) return tag;
    if (ensured.get(key) === previous) ensured.delete(key);
    return ensureNodeImage(options);
  }
  const pending = resolveOrBuild(docker, log, dockerfilePath, options.baseImage);
  ensured.set(key, pending);
  pending.catch(() => {
    if (ensured.get(key) === pending) ensured.delete(key);
  });
  return pending;
}

async function resolveOrBuild(docker: Dockerode, log: Logger, dockerfilePath: string, baseImage?: string): Promise<string> {
  const dockerfile = await fs.promises.readFile(dockerfilePath);
  const base = await resolveBaseImage(docker, log, baseImage);
  const hash = createHash("sha256").update(dockerfile).update("\0").update(base.id).digest("hex").slice(0, 12);
  const tag = `${NODE_IMAGE_REPOSITORY}:${hash}`;
  if ((await imageId(docker, log, tag)) !== undefined) return tag;

  const started = Date.now();
  log.debug("building the node image", { tag, base: base.name });
  const temporaryTag = `${NODE_IMAGE_REPOSITORY}:build-${hash}-${process.pid}-${randomBytes(4).toString("hex")}`;
  await build(docker, log, dockerfile, base.id, temporaryTag);
  try {
    await dockerCall(docker, log, "tag image", { tag }, () => docker.getImage(temporaryTag).tag({ repo: NODE_IMAGE_REPOSITORY, tag: hash }));
  } finally {
    // Only untags: the image itself is kept under `tag`.
    await dockerCall(docker, log, "remove temporary tag", { temporaryTag }, () => docker.getImage(temporaryTag).remove(), {
      tolerate: [404, 409],
    }).catch(() => undefined);
  }
  log.debug("built the node image", { tag, ms: Date.now() - started });
  return tag;
}

interface BaseImage {
  name: string;
  id: string;
}

async function imageId(docker: Dockerode, log: Logger, name: string): Promise<string | undefined> {
  const info = await dockerCall(docker, log, "inspect image", { name }, () => docker.getImage(name).inspect(), {
    tolerate: [404],
  });
  return info?.Id;
}

async function resolveBaseImage(docker: Dockerode, log: Logger, explicit?: string): Promise<BaseImage> {
  if (explicit) {
    const id = await imageId(docker, log, explicit);
    if (id === undefined) {
      throw new Error(
        `Base image "${explicit}" is not present on the Docker engine (Malachite never pulls); ` +
          `build or load it first, or unset MALACHITE_BASE_IMAGE to use ${DEFAULT_BASE_IMAGES.join(" or ")}`,
      );
    }
    return { name: explicit, id };
  }
  for (const name of DEFAULT_BASE_IMAGES) {
    const id = await imageId(docker, log, name);
    if (id !== undefined) return { name, id };
  }
  throw new Error(
    `No base image for the node image is present on the Docker engine (looked for ${DEFAULT_BASE_IMAGES.join(", ")}). ` +
      `Run "sh docker/prepare-host.sh" (builds malachite-base:bookworm offline with debootstrap), ` +
      `or "docker pull node:20-bookworm-slim" where a registry is reachable.`,
  );
}

async function build(docker: Dockerode, log: Logger, dockerfile: Buffer, baseImageId: string, tag: string): Promise<void> {
  const context = Readable.from([singleFileTar("Dockerfile", dockerfile)]);
  const progress = await dockerCall(docker, log, "build image", { tag }, () =>
    docker.buildImage(context, {
      t: tag,
      // The base is given by ID: the classic builder then never tries to pull it.
      buildargs: { BASE_IMAGE: baseImageId },
      pull: false,
      rm: true,
      forcerm: true,
    } as Dockerode.ImageBuildOptions),
  );
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    docker.modem.followProgress(progress, (error: Error | null, output: BuildEvent[]) => (error ? reject(error) : resolve(output)));
  });
  const failure = events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
  if (failure) {
    const transcript = events
      .map((e) => e.stream ?? "")
      .join("")
      .trim()
      .split("\n")
      .slice(-15)
      .join("\n");
    throw new Error(`Building the node image failed: ${failure.errorDetail?.message ?? failure.error}\n${transcript}`);
  }
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** A tar archive holding one regular file (the build context). */
export function singleFileTar(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => header.write(value, offset, length, "ascii");
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, "0") + "\0";
  field(0, 100, name);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(content.length, 12));
  field(136, 12, octal(0, 12));
  field(148, 8, "        "); // checksum is computed with this field as spaces
  field(156, 1, "0");
  field(257, 6, "ustar\0");
  field(263, 2, "00");
  let sum = 0;
  for (const byte of header) sum += byte;
  field(148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/** docker/Dockerfile of this package, found by walking up from this module (works from src/ and dist/). */
export function defaultDockerfilePath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, "docker", "Dockerfile");
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`docker/Dockerfile not found above ${fileURLToPath(import.meta.url)}`);
}
