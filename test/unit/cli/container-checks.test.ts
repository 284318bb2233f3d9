import { describe, expect, it } from "vitest";
import { checkContainerSetup, ownContainerId, type ContainerProbe, type OwnContainer } from "../../../src/cli/container-checks.js";

const ID = "4f2c1d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918071a3";

/** Lines of /proc/self/mountinfo as Docker leaves them in a container (host networking included). */
const MOUNTINFO = [
  "612 580 0:52 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X",
  `640 612 8:1 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/sda1 rw`,
  `641 612 8:1 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/sda1 rw`,
  `642 612 8:1 /var/lib/docker/containers/${ID}/hosts /etc/hosts rw,relatime - ext4 /dev/sda1 rw`,
  "643 612 0:24 /docker.sock /run/docker.sock rw,nosuid - tmpfs tmpfs rw",
].join("\n");

const SOCKET = { source: "/var/run/docker.sock", destination: "/var/run/docker.sock" };

function probe(container: Partial<OwnContainer>, mountinfo = MOUNTINFO): ContainerProbe & { inspected: string[] } {
  const inspected: string[] = [];
  return {
    inspected,
    mountinfo: async () => mountinfo,
    inspect: async (id) => {
      inspected.push(id);
      return { networkMode: "host", pidMode: "host", mounts: [SOCKET], ...container };
    },
  };
}

describe("serve's checks inside Malachite's own container", () => {
  it("finds its own container from the files Docker mounts into every container", () => {
    expect(ownContainerId(MOUNTINFO)).toBe(ID);
    expect(ownContainerId("612 580 0:52 / / rw - overlay overlay rw\n")).toBeUndefined();
  });

  it("pass with host networking, the host's pids and the data directory at the same path inside and out", async () => {
    const good = probe({ mounts: [SOCKET, { source: "/srv/malachite", destination: "/srv/malachite" }] });
    await expect(checkContainerSetup("/srv/malachite", good)).resolves.toBeUndefined();
    await expect(checkContainerSetup("/srv/malachite/account", good)).resolves.toBeUndefined();
    expect(good.inspected).toEqual([ID, ID]);
  });

  it("refuse a data directory mounted at another path, naming the mount that works", async () => {
    const moved = probe({ mounts: [SOCKET, { source: "/home/me/batch", destination: "/data" }] });
    await expect(checkContainerSetup("/data", moved)).rejects.toThrow(
      "in a container, the data directory /data is the host's /home/me/batch, but the host's engine would bind node directories from the host's /data: " +
        "mount it at the same path, -v /home/me/batch:/home/me/batch --data-dir /home/me/batch",
    );
  });

  it("refuse a data directory that is not mounted from the host (serve's default temporary one)", async () => {
    await expect(checkContainerSetup("/tmp/malachite-x", probe({}))).rejects.toThrow(
      "the data directory /tmp/malachite-x is not mounted from the host: mount a host directory at the same path, -v DIR:DIR --data-dir DIR",
    );
  });

  it("refuse a network or pid namespace of its own, saying why each is needed", async () => {
    const bridged = probe({ networkMode: "bridge", pidMode: "", mounts: [SOCKET, { source: "/srv/m", destination: "/srv/m" }] });
    const error = await checkContainerSetup("/srv/m", bridged).catch((e: Error) => e.message);
    expect(error).toContain("run with --network host (now 'bridge'): nodes reach Azurite and the Batch endpoint on the host's 127.0.0.1");
    expect(error).toContain("run with --pid host");
    expect(error).not.toContain("data directory");
  });

  it("say how to reach the engine when the socket is not mounted, and refuse when the container is unknown", async () => {
    const noSocket: ContainerProbe = {
      mountinfo: async () => MOUNTINFO,
      inspect: async () => Promise.reject(new Error("connect ENOENT /var/run/docker.sock")),
    };
    await expect(checkContainerSetup("/srv/m", noSocket)).rejects.toThrow("mount the host's socket: -v /var/run/docker.sock:/var/run/docker.sock");
    await expect(checkContainerSetup("/srv/m", probe({}, "612 580 0:52 / / rw - overlay overlay rw\n"))).rejects.toThrow("cannot be identified");
  });
});
