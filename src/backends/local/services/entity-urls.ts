/** Resource URLs as the service reports them (`url`, `nodeUrl`, `taskRootDirectoryUrl`). */
export function entityUrl(accountUrl: string, ...segments: string[]): string {
  return `${accountUrl.replace(/\/$/, "")}/${segments.map(encodeURIComponent).join("/")}`;
}
