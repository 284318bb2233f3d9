import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import {
  BlobSASPermissions,
  BlobServiceClient,
  ContainerSASPermissions,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
  type StorageRetryOptions,
} from "@azure/storage-blob";
import { BatchError } from "../core/batch-error.js";
import { BatchErrors } from "../core/batch-errors.js";
import type { BlobItem, BlobStorage } from "../core/backend.js";
import { mapStorageError } from "./map-storage-error.js";

/** How far back a SAS starts, so a client whose clock runs behind can use it at once. */
const SAS_CLOCK_SKEW_MS = 5 * 60_000;

export interface SharedKeyBlobStorageOptions {
  accountName: string;
  accountKey: string;
  /** e.g. `http://127.0.0.1:10000/devstoreaccount1` or `https://acct.blob.core.windows.net`. */
  blobEndpoint: string;
  /** Retry policy of the SDK (its default retries a failing request for up to a few minutes). */
  retryOptions?: StorageRetryOptions;
  /** Blobs asked for per list request (the service caps it at 5000, the default). */
  listPageSize?: number;
}

/** Parses `Key=Value;Key=Value` (values may contain `=`, such as base64 keys). */
function parseConnectionString(connectionString: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of connectionString.split(";")) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const equals = trimmed.indexOf("=");
    if (equals <= 0) continue;
    fields.set(trimmed.slice(0, equals).trim().toLowerCase(), trimmed.slice(equals + 1).trim());
  }
  return fields;
}

/** A few minutes ago (clock skew), but never after the expiry. */
function sasStart(expiresOn: Date): Date {
  return new Date(Math.min(Date.now() - SAS_CLOCK_SKEW_MS, expiresOn.getTime() - 1000));
}

function invalidConnectionString(reason: string): BatchError {
  return new BatchError(400, "InvalidConnectionString", `The storage connection string is invalid: ${reason}`);
}

/**
 * {@link BlobStorage} over `@azure/storage-blob` with Shared Key auth. Works against Azurite
 * (path-style `http://127.0.0.1:<port>/devstoreaccount1`) and against Azure Storage
 * (`https://<account>.blob.core.windows.net`). Every failure is a {@link BatchError}.
 */
export class SharedKeyBlobStorage implements BlobStorage {
  readonly accountName: string;
  readonly blobEndpoint: string;
  readonly #credential: StorageSharedKeyCredential;
  readonly #service: BlobServiceClient;
  readonly #listPageSize: number;

  constructor(options: SharedKeyBlobStorageOptions) {
    if (!options.accountName) throw invalidConnectionString("the account name is missing");
    if (!options.accountKey) throw invalidConnectionString("the account key is missing");
    if (!options.blobEndpoint) throw invalidConnectionString("the blob endpoint is missing");
    let endpoint: URL;
    try {
      endpoint = new URL(options.blobEndpoint);
    } catch {
      throw invalidConnectionString(`the blob endpoint is not a URL (${options.blobEndpoint})`);
    }
    if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") {
      throw invalidConnectionString(`the blob endpoint must be http or https (${endpoint.protocol})`);
    }
    if (endpoint.search || endpoint.hash) {
      throw invalidConnectionString("the blob endpoint must not carry a query string or fragment");
    }
    this.accountName = options.accountName;
    this.blobEndpoint = endpoint.toString().replace(/\/+$/, "");
    try {
      this.#credential = new StorageSharedKeyCredential(options.accountName, options.accountKey);
    } catch {
      throw invalidConnectionString("the account key is not valid base64");
    }
    this.#listPageSize = Math.min(Math.max(Math.trunc(options.listPageSize ?? 5000), 1), 5000);
    this.#service = new BlobServiceClient(this.blobEndpoint, this.#credential, options.retryOptions ? { retryOptions: options.retryOptions } : undefined);
  }

  /**
   * From an Azure Storage connection string: `AccountName`, `AccountKey` and either `BlobEndpoint`
   * or `DefaultEndpointsProtocol` (+ optional `EndpointSuffix`, default `core.windows.net`).
   * `UseDevelopmentStorage=true` means Azurite on `127.0.0.1:10000`.
   */
  static fromConnectionString(connectionString: string, extra: Pick<SharedKeyBlobStorageOptions, "retryOptions" | "listPageSize"> = {}): SharedKeyBlobStorage {
    const fields = parseConnectionString(connectionString);
    if (fields.get("usedevelopmentstorage")?.toLowerCase() === "true") {
      const proxy = fields.get("developmentstorageproxyuri")?.replace(/\/+$/, "") ?? "http://127.0.0.1";
      return new SharedKeyBlobStorage({
        accountName: "devstoreaccount1",
        accountKey: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        blobEndpoint: `${proxy}:10000/devstoreaccount1`,
        ...extra,
      });
    }
    const accountName = fields.get("accountname");
    const accountKey = fields.get("accountkey");
    if (!accountName) throw invalidConnectionString("AccountName is missing");
    if (!accountKey) {
      throw invalidConnectionString(
        fields.has("sharedaccesssignature") ? "SAS connection strings are not supported, AccountKey is needed" : "AccountKey is missing",
      );
    }
    let blobEndpoint = fields.get("blobendpoint");
    if (!blobEndpoint) {
      const protocol = (fields.get("defaultendpointsprotocol") ?? "https").toLowerCase();
      if (protocol !== "https" && protocol !== "http") {
        throw invalidConnectionString(`DefaultEndpointsProtocol must be http or https (${protocol})`);
      }
      const suffix = fields.get("endpointsuffix") ?? "core.windows.net";
      blobEndpoint = `${protocol}://${accountName}.blob.${suffix}`;
    }
    return new SharedKeyBlobStorage({ accountName, accountKey, blobEndpoint, ...extra });
  }

  async createContainer(name: string): Promise<boolean> {
    try {
      await this.#service.getContainerClient(name).create();
      return true;
    } catch (error) {
      const mapped = mapStorageError(error, `Creating container '${name}'`);
      if (mapped.statusCode === 409 && mapped.code === "ContainerAlreadyExists") return false;
      throw mapped;
    }
  }

  async deleteContainer(name: string): Promise<boolean> {
    try {
      await this.#service.getContainerClient(name).delete();
      return true;
    } catch (error) {
      const mapped = mapStorageError(error, `Deleting container '${name}'`);
      if (mapped.statusCode === 404 && mapped.code === "ContainerNotFound") return false;
      throw mapped;
    }
  }

  async uploadFile(container: string, blobName: string, localPath: string): Promise<void> {
    try {
      const info = await stat(localPath);
      if (!info.isFile()) throw BatchErrors.invalidPropertyValue("localPath", localPath, "The path is not a regular file.");
    } catch (error) {
      if (error instanceof BatchError) throw error;
      throw BatchErrors.fileNotFound(localPath);
    }
    try {
      await this.#blockBlob(container, blobName).uploadFile(localPath);
    } catch (error) {
      throw mapStorageError(error, `Uploading '${localPath}' to blob '${container}/${blobName}'`);
    }
  }

  async uploadData(container: string, blobName: string, data: Buffer | string): Promise<void> {
    const body = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    try {
      await this.#blockBlob(container, blobName).uploadData(body);
    } catch (error) {
      throw mapStorageError(error, `Uploading blob '${container}/${blobName}'`);
    }
  }

  async listBlobs(container: string, prefix?: string): Promise<BlobItem[]> {
    const items: BlobItem[] = [];
    try {
      const pages = this.#service
        .getContainerClient(container)
        .listBlobsFlat(prefix ? { prefix } : {})
        .byPage({ maxPageSize: this.#listPageSize });
      for await (const page of pages) {
        for (const blob of page.segment.blobItems) {
          items.push({ name: blob.name, contentLength: blob.properties.contentLength ?? 0 });
        }
      }
    } catch (error) {
      throw mapStorageError(error, `Listing blobs of container '${container}'`);
    }
    return items;
  }

  async downloadToFile(container: string, blobName: string, localPath: string): Promise<void> {
    await mkdir(path.dirname(path.resolve(localPath)), { recursive: true });
    try {
      await this.#service.getContainerClient(container).getBlobClient(blobName).downloadToFile(localPath);
    } catch (error) {
      throw mapStorageError(error, `Downloading blob '${container}/${blobName}' to '${localPath}'`);
    }
  }

  async downloadToBuffer(container: string, blobName: string): Promise<Buffer> {
    try {
      return await this.#service.getContainerClient(container).getBlobClient(blobName).downloadToBuffer();
    } catch (error) {
      throw mapStorageError(error, `Downloading blob '${container}/${blobName}'`);
    }
  }

  blobSasUrl(container: string, blobName: string, permissions: string, expiresOn: Date): string {
    let parsed: BlobSASPermissions;
    try {
      parsed = BlobSASPermissions.parse(permissions);
    } catch {
      throw BatchErrors.invalidPropertyValue("permissions", permissions, "Blob SAS permissions are letters of 'racwdxytmeop'.");
    }
    const url = this.#service.getContainerClient(container).getBlobClient(blobName).url;
    return `${url}?${this.#sign({ containerName: container, blobName, permissions: parsed }, expiresOn)}`;
  }

  containerSasUrl(container: string, permissions: string, expiresOn: Date): string {
    let parsed: ContainerSASPermissions;
    try {
      parsed = ContainerSASPermissions.parse(permissions);
    } catch {
      throw BatchErrors.invalidPropertyValue("permissions", permissions, "Container SAS permissions are letters of 'racwdxltmeopfi'.");
    }
    const url = this.#service.getContainerClient(container).url;
    return `${url}?${this.#sign({ containerName: container, permissions: parsed }, expiresOn)}`;
  }

  /** A service SAS over http and https, valid from a little before now (clock skew) until `expiresOn`. */
  #sign(target: { containerName: string; blobName?: string; permissions: BlobSASPermissions | ContainerSASPermissions }, expiresOn: Date): string {
    return generateBlobSASQueryParameters(
      { ...target, startsOn: sasStart(expiresOn), expiresOn, protocol: SASProtocol.HttpsAndHttp },
      this.#credential,
    ).toString();
  }

  #blockBlob(container: string, blobName: string) {
    return this.#service.getContainerClient(container).getBlockBlobClient(blobName);
  }
}
