import { readFile } from "node:fs/promises";
import path from "node:path";
import Dockerode from "dockerode";
import { ConfigError } from "../core/config/index.js";

/** What serve needs to know of the container it runs in. */
export interface OwnContainer {
  networkMode?: string;
  pidMode?: string;
  mounts: { source: string; destination: string }[];
}

export interface ContainerProbe {
  /** This process's /proc/self/mountinfo. */
  mountinfo(): Promise<string>;
  /** The engine's view of a container, through the socket mounted in. */
  inspect(id: string): Promise<OwnContainer>;
}

/** The real probe: /proc and the engine at DOCKER_HOST (default /var/run/docker.sock). */
export function engineProbe(docker = new Dockerode()): ContainerProbe {
  return {
    mountinfo: () => readFile("/proc/self/mountinfo", "utf8"),
    inspect: async (id) => {
      const info = await docker.getContainer(id).inspect();
      return {
        networkMode: info.HostConfig.NetworkMode,
        pidMode: info.HostConfig.PidMode,
        mounts: info.Mounts.map((mount) => ({ source: mount.Source, destination: mount.Destination })),
      };
    },
  };
}

/**
 * Docker bind-mounts /etc/hostname, /etc/hosts and /etc/resolv.conf of every container from
 * `<data-root>/containers/<id>/`, host networking included: the mount's root names the container.
 */
export function ownContainerId(mountinfo: string): string | undefined {
  return /\/containers\/([0-9a-f]{64})\/(hostname|hosts|resolv\.conf)\s/.exec(mountinfo)?.[1];
}

/** Where the host's engine finds `dir` of this container: the host path, or undefined if not bind-mounted. */
function hostPathOf(dir: string, mounts: OwnContainer["mounts"]): { hostPath: string; mount: OwnContainer["mounts"][number] } | undefined {
  const covering = mounts
    .filter((mount) => dir === mount.destination || dir.startsWith(`${mount.destination.replace(/\/$/, "")}/`))
    .sort((a, b) => b.destination.length - a.destination.length)[0];
  if (!covering) return undefined;
  return { hostPath: path.join(covering.source, path.relative(covering.destination, dir)), mount: covering };
}

/**
 * Inside Malachite's own image, serve drives the host's engine through its socket, and that engine
 * resolves every path on the host and runs every node on the host's network. So before serving,
 * check what would otherwise fail quietly: node directories bind-mounted from the host by the same
 * path as inside (else the nodes write where serve does not read), host networking (the nodes reach
 * Azurite and the Batch endpoint at the host's 127.0.0.1), and the host's pid namespace (node
 * containers carry their owner's pid, and a start removes those whose owner is gone: in a pid
 * namespace of its own, serve would take other runs' live owners for dead ones).
 */
export async function checkContainerSetup(dataDir: string, probe: ContainerProbe = engineProbe()): Promise<void> {
  const id = ownContainerId(await probe.mountinfo());
  if (!id) throw new ConfigError("MALACHITE_IN_CONTAINER is set but this process's container cannot be identified from /proc/self/mountinfo");
  let self: OwnContainer;
  try {
    self = await probe.inspect(id);
  } catch (error) {
    throw new ConfigError(
      `cannot inspect this container through the Docker engine (mount the host's socket: -v /var/run/docker.sock:/var/run/docker.sock): ${(error as Error).message}`,
    );
  }
  const problems: string[] = [];
  if (self.networkMode !== "host")
    problems.push(`run with --network host (now '${self.networkMode}'): nodes reach Azurite and the Batch endpoint on the host's 127.0.0.1`);
  if (self.pidMode !== "host") problems.push("run with --pid host: node containers are labelled with their owner's pid, which must be a host pid");
  const mounted = hostPathOf(dataDir, self.mounts);
  if (!mounted) {
    problems.push(`the data directory ${dataDir} is not mounted from the host: mount a host directory at the same path, -v DIR:DIR --data-dir DIR`);
  } else if (mounted.hostPath !== dataDir) {
    problems.push(
      `the data directory ${dataDir} is the host's ${mounted.hostPath}, but the host's engine would bind node directories from the host's ${dataDir}: ` +
        `mount it at the same path, -v ${mounted.mount.source}:${mounted.mount.source} --data-dir ${path.join(mounted.mount.source, path.relative(mounted.mount.destination, dataDir))}`,
    );
  }
  if (problems.length > 0) throw new ConfigError(`in a container, ${problems.join("; ")}`);
}
