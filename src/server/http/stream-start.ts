import type { Readable } from "node:stream";

/**
 * Resolves once `stream` has its first bytes (or has ended empty), without consuming any; rejects
 * if it fails or closes before. Waiting for this before the status line is written lets a read
 * that fails at once still be answered as an error rather than as a 200 cut short.
 */
export function streamStarted(stream: Readable): Promise<void> {
  if (stream.errored) return Promise.reject(stream.errored);
  if (stream.destroyed) return Promise.reject(new Error("the stream was closed before it was read"));
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      stream.off("readable", onReadable).off("error", onError).off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onReadable = () => settle();
    const onError = (error: Error) => settle(error);
    const onClose = () => settle(new Error("the stream closed before its first byte"));
    stream.on("readable", onReadable).on("error", onError).on("close", onClose);
  });
}
