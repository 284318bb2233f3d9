import type Dockerode from "dockerode";

/** One `docker exec <container> true` through the engine API, as cheap as an exec can be. */
export async function bareDockerExec(docker: Dockerode, containerId: string): Promise<void> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: ["true"], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0) throw new Error(`true exited ${ExitCode}`);
}
