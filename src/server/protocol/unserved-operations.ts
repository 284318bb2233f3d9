import { PathPattern } from "../http/router.js";

/** A Batch data-plane operation that Malachite does not emulate yet. */
export interface UnservedOperation {
  /**
   * The operation's name in the REST specification: the TypeSpec operationId of api-version
   * 2025-06-01 (`specification/batch/Azure.Batch/routes.tsp`), or, for an operation that version
   * no longer has, its name in the last Swagger `BatchService.json` that had it.
   */
  operationId: string;
  /** Its Swagger name (`BatchService.json`, up to 2024-07-01.20.0), which @azure/batch 10.x and the az CLI's azure-batch call it. */
  swaggerOperationId: string;
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path template, in the router's syntax: `{*filePath}` is the rest of the path. */
  path: string;
}

/**
 * The Batch operations no route of Malachite serves: of the 77 operations of api-version
 * 2025-06-01, the 5 it does not serve (/work/shared/reference/batch-operations.md, its
 * "refused-405" and "missing-404" rows), then 2 operations of the older api-versions Malachite
 * accepts (from 2017-09-01.6.0) that 2025-06-01 no longer has, and that @azure/batch 10.x still
 * calls (the other two such, the lifetime statistics, are served: lifetime-statistics.ts). A request for one of them is answered 400 `UnsupportedOperation` naming it
 * (src/server/http/unrouted.ts). When a handler starts serving one, remove it here: the table
 * test (test/unit/server/unserved-operations.test.ts) fails while both exist.
 */
export const UNSERVED_OPERATIONS: readonly UnservedOperation[] = [
  // Certificates (deprecated in the specification)
  { operationId: "Certificates_CreateCertificate", swaggerOperationId: "Certificate_Add", method: "POST", path: "/certificates" },
  { operationId: "Certificates_ListCertificates", swaggerOperationId: "Certificate_List", method: "GET", path: "/certificates" },
  {
    operationId: "Certificates_CancelCertificateDeletion",
    swaggerOperationId: "Certificate_CancelDeletion",
    method: "POST",
    path: "/certificates(thumbprintAlgorithm={thumbprintAlgorithm},thumbprint={thumbprint})/canceldelete",
  },
  {
    operationId: "Certificates_DeleteCertificate",
    swaggerOperationId: "Certificate_Delete",
    method: "DELETE",
    path: "/certificates(thumbprintAlgorithm={thumbprintAlgorithm},thumbprint={thumbprint})",
  },
  {
    operationId: "Certificates_GetCertificate",
    swaggerOperationId: "Certificate_Get",
    method: "GET",
    path: "/certificates(thumbprintAlgorithm={thumbprintAlgorithm},thumbprint={thumbprint})",
  },
  // Older api-versions only (not in 2025-06-01); @azure/batch 10.x has them.
  {
    operationId: "ComputeNode_GetRemoteDesktop",
    swaggerOperationId: "ComputeNode_GetRemoteDesktop",
    method: "GET",
    path: "/pools/{poolId}/nodes/{nodeId}/rdp",
  },
  { operationId: "Pool_UpgradeOS", swaggerOperationId: "Pool_UpgradeOS", method: "POST", path: "/pools/{poolId}/upgradeos" },
];

const COMPILED = UNSERVED_OPERATIONS.map((operation) => ({ operation, pattern: new PathPattern(operation.path) }));

/** The unserved Batch operation a request is for, if any: its method and path both match. */
export function findUnservedOperation(method: string, rawSegments: string[]): UnservedOperation | undefined {
  return COMPILED.find((entry) => entry.operation.method === method && entry.pattern.match(rawSegments) !== undefined)?.operation;
}
