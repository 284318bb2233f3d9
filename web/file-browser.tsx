import { useState } from "preact/hooks";
import type { FileEntry } from "../src/dashboard/view-models.js";
import { shortTime } from "./format.js";
import { useJson } from "./live-view.js";

/**
 * A task's or node's directory (`owner`: `jobs/J/tasks/T` or `pools/P/nodes/N`): its files,
 * read again when `version` changes, and the text of the one picked.
 */
export function FileBrowser({ owner, version }: { owner: string; version: unknown }) {
  const files = useJson<FileEntry[]>(`/dashboard/api/files/${owner}`, version);
  const [picked, setPicked] = useState<string>();
  const content = useJson<{ text: string; truncated: boolean }>(
    picked ? `/dashboard/api/file/${owner}?path=${encodeURIComponent(picked)}` : undefined,
    `${picked}/${String(version)}`,
  );
  if (files.error) return <p class="empty">Files: {files.error}</p>;
  if (!files.data) return <p class="loading">Loading files…</p>;
  return (
    <div class="files">
      <table>
        <thead>
          <tr>
            <th>File</th>
            <th>Size</th>
            <th>Modified</th>
          </tr>
        </thead>
        <tbody>
          {files.data.map((file) => (
            <tr key={file.name} class={file.name === picked ? "picked" : ""}>
              <td>
                {file.isDirectory ? (
                  `${file.name}/`
                ) : (
                  <a href="javascript:void 0" onClick={() => setPicked(file.name)}>
                    {file.name}
                  </a>
                )}
              </td>
              <td class="number">{file.isDirectory ? "" : file.contentLength}</td>
              <td>{shortTime(file.lastModified)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {picked && (
        <div class="file-content">
          <h3>{picked}</h3>
          {content.error ? (
            <p class="error">{content.error}</p>
          ) : (
            <pre>{content.data ? `${content.data.truncated ? "…\n" : ""}${content.data.text}` : "Loading…"}</pre>
          )}
        </div>
      )}
    </div>
  );
}
