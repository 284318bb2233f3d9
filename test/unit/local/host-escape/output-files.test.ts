/**
 * Output files are read on the host after the task ran: a matched link is uploaded as its target
 * only while that stays inside the node root; a link out of it fails the upload (the service's
 * FileUploadMiscError) and its target is never read, nor sent to storage.
 */
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { BlobServiceClient, ContainerSASPermissions } from "@azure/storage-blob";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AzuriteProcess } from "../../../../src/backends/local/azurite/azurite-process.js";
import { OutputFileUploadError, uploadOutputFiles } from "../../../../src/backends/local/execution/output-files.js";
import type { OutputFile } from "../../../../src/core/models/index.js";
import { escapeFixture, SECRET, type EscapeFixture } from "./escape-fixture.js";

let azurite: AzuriteProcess;
let containerUrl: string;
let blobs: BlobServiceClient;
let fx: EscapeFixture;
let containerName = "";
let counter = 0;
const taskDir = "workitems/job/job-1/task";

beforeAll(async () => {
  azurite = await AzuriteProcess.start({ port: 0 });
  blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
});

beforeEach(async () => {
  fx = await escapeFixture();
  await mkdir(fx.at(`${taskDir}/wd/out`), { recursive: true });
  await writeFile(fx.at(`${taskDir}/wd/out/result.txt`), "result\n");
  await writeFile(fx.at("root-file.txt"), "in the node root\n");
  containerName = `outputs${++counter}`;
  const container = blobs.getContainerClient(containerName);
  await container.create();
  containerUrl = await container.generateSasUrl({ permissions: ContainerSASPermissions.parse("racwl"), expiresOn: new Date(Date.now() + 3_600_000) });
});

afterEach(async () => {
  await fx.cleanup();
});

function output(filePattern: string): OutputFile {
  return { filePattern, destination: { container: { containerUrl } }, uploadOptions: { uploadCondition: "taskcompletion" } };
}

async function uploaded(): Promise<Record<string, string>> {
  const container = blobs.getContainerClient(containerName);
  const found: Record<string, string> = {};
  for await (const blob of container.listBlobsFlat()) found[blob.name] = (await container.getBlobClient(blob.name).downloadToBuffer()).toString();
  return found;
}

describe("output files matching links", () => {
  it("fail with FileUploadMiscError on a link to a host file, uploading nothing of it", async () => {
    await symlink(path.join(fx.outside, "secret.txt"), fx.at(`${taskDir}/wd/out/stolen.txt`));
    const error = await uploadOutputFiles([output("out/*.txt")], fx.at(taskDir), "success", fx.root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputFileUploadError);
    expect((error as OutputFileUploadError).code).toBe("FileUploadMiscError");
    expect(Object.values(await uploaded())).not.toContain(SECRET);
  });

  it("fail on a file below a linked directory that leads out of the node root", async () => {
    await symlink(fx.outside, fx.at(`${taskDir}/wd/out/dir`));
    await expect(uploadOutputFiles([output("out/dir")], fx.at(taskDir), "success", fx.root)).rejects.toBeInstanceOf(OutputFileUploadError);
    expect(await uploadOutputFiles([output("out/dir/secret.txt")], fx.at(taskDir), "success", fx.root)).toBe(0);
    expect(Object.values(await uploaded())).not.toContain(SECRET);
  });

  it("upload the target of a link that stays inside the node root", async () => {
    await symlink("../../../../../../root-file.txt", fx.at(`${taskDir}/wd/out/root-file.txt`));
    expect(await uploadOutputFiles([output("out/*.txt")], fx.at(taskDir), "success", fx.root)).toBe(2);
    expect(await uploaded()).toEqual({ "result.txt": "result\n", "root-file.txt": "in the node root\n" });
  });

  it("are bounded by the task directory when no node root is given", async () => {
    await symlink("../../../../../../root-file.txt", fx.at(`${taskDir}/wd/out/root-file.txt`));
    await expect(uploadOutputFiles([output("out/*.txt")], fx.at(taskDir), "success")).rejects.toBeInstanceOf(OutputFileUploadError);
  });
});
