/** A key/value detail of a Batch error, as the service puts it in `values[]`. */
export interface BatchErrorDetail {
  key: string;
  value: string;
}

/**
 * The one error type of Malachite. It carries an Azure Batch error code (`PoolExists`,
 * `JobNotFound`, ...) and the HTTP status the service answers with, so every backend maps
 * its failures into it and callers cannot tell the backends apart.
 */
export class BatchError extends Error {
  override readonly name = "BatchError";

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly values: BatchErrorDetail[] = [],
  ) {
    super(message);
    Object.setPrototypeOf(this, BatchError.prototype);
  }

  /** The flat error body of the Batch REST API (not wrapped in `odata.error`). */
  toBody(requestId?: string): { code: string; message: { lang: string; value: string }; values?: BatchErrorDetail[] } {
    const suffix = requestId ? `\nRequestId:${requestId}\nTime:${new Date().toISOString()}` : "";
    const body: { code: string; message: { lang: string; value: string }; values?: BatchErrorDetail[] } = {
      code: this.code,
      message: { lang: "en-US", value: this.message + suffix },
    };
    if (this.values.length > 0) body.values = this.values;
    return body;
  }
}

export function isBatchError(error: unknown, code?: string): error is BatchError {
  return error instanceof BatchError && (code === undefined || error.code === code);
}
