/**
 * A task container's `containerRunOptions` engine settings as Docker's HostConfig. Anonymous
 * volumes carry the container's labels (so the sweep can tell whose they are) and are removed
 * with the container.
 */
import type Dockerode from "dockerode";
import type { TaskContainerEngineSettings, TaskContainerMount } from "./node-runtime.js";

function mountSettings(mount: TaskContainerMount, labels: Record<string, string>): Dockerode.MountSettings {
  const base = { Type: mount.type, Target: mount.target, Source: mount.source ?? "", ReadOnly: mount.readOnly };
  switch (mount.type) {
    case "bind":
      return mount.propagation ? { ...base, BindOptions: { Propagation: mount.propagation as Dockerode.MountPropagation } } : base;
    case "tmpfs":
      return mount.tmpfsSizeBytes === undefined && mount.tmpfsMode === undefined
        ? base
        : { ...base, TmpfsOptions: { SizeBytes: mount.tmpfsSizeBytes ?? 0, Mode: mount.tmpfsMode ?? 0o1777 } };
    case "volume":
      return { ...base, VolumeOptions: { NoCopy: false, Labels: labels, DriverConfig: { Name: "local", Options: {} } } };
  }
}

/** The HostConfig fields `engine` sets; the caller's own (network, init, binds, logging) come first and are not overridden. */
export function engineHostConfig(engine: TaskContainerEngineSettings | undefined, labels: Record<string, string>): Dockerode.HostConfig {
  if (!engine) return {};
  const config: Dockerode.HostConfig = {};
  if (engine.mounts.length > 0) config.Mounts = engine.mounts.map((mount) => mountSettings(mount, labels));
  if (Object.keys(engine.tmpfs).length > 0) config.Tmpfs = engine.tmpfs;
  if (engine.shmSizeBytes !== undefined) config.ShmSize = engine.shmSizeBytes;
  if (engine.memoryBytes !== undefined) config.Memory = engine.memoryBytes;
  if (engine.memorySwapBytes !== undefined) config.MemorySwap = engine.memorySwapBytes;
  if (engine.memoryReservationBytes !== undefined) config.MemoryReservation = engine.memoryReservationBytes;
  if (engine.nanoCpus !== undefined) config.NanoCpus = engine.nanoCpus;
  if (engine.cpuShares !== undefined) config.CpuShares = engine.cpuShares;
  if (engine.cpusetCpus !== undefined) config.CpusetCpus = engine.cpusetCpus;
  if (engine.pidsLimit !== undefined) config.PidsLimit = engine.pidsLimit;
  if (engine.ulimits.length > 0) config.Ulimits = engine.ulimits.map(({ name, soft, hard }) => ({ Name: name, Soft: soft, Hard: hard }));
  if (engine.capAdd.length > 0) config.CapAdd = engine.capAdd;
  if (engine.capDrop.length > 0) config.CapDrop = engine.capDrop;
  if (engine.gpus) {
    const { driver, count, deviceIds, capabilities } = engine.gpus;
    config.DeviceRequests = [
      {
        Driver: driver ?? "",
        ...(count !== undefined ? { Count: count } : {}),
        ...(deviceIds ? { DeviceIDs: deviceIds } : {}),
        Capabilities: [capabilities],
      },
    ];
  }
  if (engine.devices.length > 0) {
    config.Devices = engine.devices.map((device) => ({ PathOnHost: device.host, PathInContainer: device.container, CgroupPermissions: device.permissions }));
  }
  if (engine.privileged) config.Privileged = true;
  if (engine.readOnlyRootfs) config.ReadonlyRootfs = true;
  if (engine.ipcMode !== undefined) config.IpcMode = engine.ipcMode;
  if (Object.keys(engine.sysctls).length > 0) config.Sysctls = engine.sysctls;
  return config;
}
