/**
 * `containerRunOptions` read as Docker's CLI reads `docker create` arguments, and what each
 * option asks of the engine (the Docker API's units: bytes, nano-CPUs).
 */
import { describe, expect, it } from "vitest";
import { parseContainerRunOptions } from "../../../src/backends/local/execution/container-run-options.js";
import { bytesOf, csvFields, gpusOf, mountOf, ulimitOf, volumeOf } from "../../../src/backends/local/execution/run-option-values.js";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe("containerRunOptions", () => {
  it("reads the task's environment, working directory, user, entrypoint and labels", () => {
    const parsed = parseContainerRunOptions("--rm --init -e A=1 --env=B=x=y -eC=3 -e PASSED -w /app -u 1000:1000 --entrypoint /bin/sh -l team=x --net=host");
    expect(parsed).toMatchObject({
      env: { A: "1", B: "x=y", C: "3" },
      workingDir: "/app",
      user: "1000:1000",
      entrypoint: "/bin/sh",
      labels: { team: "x" },
      binds: [],
    });
    expect(parseContainerRunOptions(undefined)).toEqual(parseContainerRunOptions("  "));
    expect(parseContainerRunOptions(undefined).engine).toMatchObject({ mounts: [], privileged: false });
  });

  it("reads host paths and anonymous volumes of -v, bind, tmpfs and volume mounts, and --tmpfs", () => {
    const parsed = parseContainerRunOptions(
      `-v /etc/ssl/certs:/etc/ssl/certs:ro --volume=/data:/data -v/scratch "--mount" 'type=bind,source=/in,target=/in,readonly' ` +
        `--mount type=tmpfs,dst=/fast,tmpfs-size=64m,tmpfs-mode=1770 --mount target=/anon --tmpfs /run:rw,size=1m`,
    );
    expect(parsed.binds).toEqual([
      { source: "/etc/ssl/certs", target: "/etc/ssl/certs", modes: ["ro"] },
      { source: "/data", target: "/data", modes: [] },
    ]);
    expect(parsed.engine.mounts).toEqual([
      { type: "volume", target: "/scratch", readOnly: false },
      { type: "bind", source: "/in", target: "/in", readOnly: true },
      { type: "tmpfs", target: "/fast", readOnly: false, tmpfsSizeBytes: 64 * MiB, tmpfsMode: 0o1770 },
      { type: "volume", target: "/anon", readOnly: false },
    ]);
    expect(parsed.engine.tmpfs).toEqual({ "/run": "rw,size=1m" });
  });

  it("reads resource limits as Docker does: binary sizes, CPUs in nano-CPUs, shares, pids, ulimits", () => {
    const { engine } = parseContainerRunOptions(
      "--shm-size=256m -m 1g --memory-swap -1 --memory-reservation 512MB --cpus 1.5 -c 2048 --cpuset-cpus 0-1 --pids-limit -1 --ulimit nofile=1024:4096 --ulimit core=0 --ulimit nofile=2048",
    );
    expect(engine).toMatchObject({
      shmSizeBytes: 256 * MiB,
      memoryBytes: GiB,
      memorySwapBytes: -1,
      memoryReservationBytes: 512 * MiB,
      nanoCpus: 1_500_000_000,
      cpuShares: 2048,
      cpusetCpus: "0-1",
      pidsLimit: -1,
      ulimits: [
        { name: "core", soft: 0, hard: 0 },
        { name: "nofile", soft: 2048, hard: 2048 },
      ],
    });
  });

  it("reads --name, capabilities, GPUs, devices, --privileged, --read-only, --ipc and --sysctl", () => {
    const parsed = parseContainerRunOptions(
      "--name job1-task7 --cap-add SYS_PTRACE --cap-add=net_admin,CAP_SYS_NICE --cap-drop ALL --gpus all --device /dev/fuse " +
        "--privileged --read-only=true --ipc=host --sysctl net.core.somaxconn=1024",
    );
    expect(parsed.name).toBe("job1-task7");
    expect(parsed.engine).toMatchObject({
      capAdd: ["CAP_SYS_PTRACE", "CAP_NET_ADMIN", "CAP_SYS_NICE"],
      capDrop: ["ALL"],
      gpus: { count: -1, capabilities: ["gpu"] },
      devices: [{ host: "/dev/fuse", container: "/dev/fuse", permissions: "rwm" }],
      privileged: true,
      readOnlyRootfs: true,
      ipcMode: "host",
      sysctls: { "net.core.somaxconn": "1024" },
    });
    expect(parseContainerRunOptions("--privileged=false").engine.privileged).toBe(false);
  });

  it("refuses what cannot work on Malachite's nodes, saying why", () => {
    const refusals: [string, RegExp][] = [
      ["-p 8080:80", /host networking/],
      ["--hostname worker", /host's name/],
      ["--network bridge", /host networking/],
      ["--restart always", /runs once/],
      ["-t", /terminal/],
      ["-v cache:/cache", /named volume 'cache'.*outlive the node/],
      ["--mount type=volume,source=cache,target=/cache", /named volume/],
      ["--label malachite.session=x", /Malachite's own/],
      ["--ipc container:other", /not shared/],
      ["--bogus", /not supported by Malachite; supported: --rm/],
      ["image-name", /not an option/],
    ];
    for (const [options, why] of refusals) expect(() => parseContainerRunOptions(options), options).toThrow(why);
  });

  it("refuses malformed values with Docker's wording", () => {
    const malformed: [string, RegExp][] = [
      ["--workdir relative", /absolute path/],
      ["-e", /needs a value/],
      ["--shm-size lots", /invalid size: 'lots'/],
      ["--cpus two", /failed to parse two as a rational number/],
      ["--name -bad", /Invalid container name \(-bad\)/],
      ["--ulimit nofile=10:5", /soft limit must be less than or equal to hard limit/],
      ["--ulimit nofiles=10", /invalid ulimit type: nofiles/],
      ["--mount type=bind,target=/x", /source is required/],
      ["--mount type=bind,source=/a,target=relative", /must be absolute/],
      ["-v /a:/b:bogus", /invalid mode: bogus/],
      ["--gpus '\"device=0,1\",count=2'", /both Count and DeviceIDs/],
      ["--privileged=maybe", /true or false/],
      ["'unterminated", /containerRunOptions/],
    ];
    for (const [options, message] of malformed) expect(() => parseContainerRunOptions(options), options).toThrow(message);
  });
});

describe("option values", () => {
  it("sizes, CSV fields, mounts, volumes, ulimits and GPU requests", () => {
    expect([bytesOf("512"), bytesOf("1k"), bytesOf("1.5g"), bytesOf("2GiB"), bytesOf("100 MB"), bytesOf("64mb")]).toEqual([
      512,
      1024,
      1.5 * GiB,
      2 * GiB,
      100 * MiB,
      64 * MiB,
    ]);
    expect(csvFields('"device=0,1",driver=nvidia,"say ""hi"""')).toEqual(["device=0,1", "driver=nvidia", 'say "hi"']);
    expect(mountOf("type=bind,src=/a,dst=/b,ro=false,bind-propagation=rslave")).toEqual({
      type: "bind",
      source: "/a",
      target: "/b",
      readOnly: false,
      propagation: "rslave",
    });
    expect(volumeOf("/a:/b:ro,z")).toEqual({ bind: { source: "/a", target: "/b", modes: ["ro", "z"] } });
    expect(ulimitOf("memlock=-1:-1")).toEqual({ name: "memlock", soft: -1, hard: -1 });
    expect(gpusOf("2")).toEqual({ count: 2, capabilities: ["gpu"] });
    expect(gpusOf('"device=0,1",driver=nvidia,capabilities=compute')).toEqual({
      deviceIds: ["0", "1"],
      driver: "nvidia",
      capabilities: ["gpu", "compute"],
    });
  });
});
