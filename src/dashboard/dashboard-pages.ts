import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import path from "node:path";

/** Headers of every dashboard answer: nothing from elsewhere runs in the page, no page frames it, no URL (with a token) leaks as a referrer. */
export const PAGE_HEADERS = {
  "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

/** The bundle `npm run build` writes (scripts/bundle-dashboard.mjs): these names only are served. */
const ASSETS: Record<string, string> = { "app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8" };

const appPage = (actions: boolean) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<meta name="malachite-actions" content="${actions ? "on" : "off"}">
<title>Malachite</title>
<link rel="stylesheet" href="/dashboard/assets/app.css">
<script type="module" src="/dashboard/assets/app.js"></script>
</head>
<body><div id="app"></div></body>
</html>
`;

function signInPage(failed: boolean): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Malachite: sign in</title><link rel="stylesheet" href="/dashboard/assets/app.css"></head>
<body><main class="sign-in">
<h1>Malachite</h1>
<p>This dashboard listens beyond this machine: sign in with the Batch account key, or the token <code>malachite serve</code> printed.</p>
${failed ? '<p class="error">That is neither the account key nor the token.</p>' : ""}
<form method="post" action="/dashboard/sign-in"><input type="password" name="secret" autocomplete="current-password" autofocus aria-label="account key or token"> <button>Sign in</button></form>
</main></body>
</html>
`;
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...PAGE_HEADERS, "Content-Type": "text/html; charset=utf-8", ...headers });
  res.end(html);
}

/** The page; `actions` tells it whether to offer the dashboard's actions. */
export function sendAppPage(res: ServerResponse, actions: boolean): void {
  sendHtml(res, 200, appPage(actions));
}

export function sendSignInPage(res: ServerResponse, failed: boolean): void {
  sendHtml(res, 401, signInPage(failed));
}

/** Serves one file of the bundle; false when `name` is none of them. */
export async function sendAsset(res: ServerResponse, assetsDir: string, name: string): Promise<boolean> {
  const type = ASSETS[name];
  if (!type) return false;
  let body: Buffer;
  try {
    body = await readFile(path.join(assetsDir, name));
  } catch {
    res.writeHead(500, { ...PAGE_HEADERS, "Content-Type": "text/plain; charset=utf-8" });
    res.end(`the dashboard is not built: run 'npm run build' (missing ${path.join(assetsDir, name)})\n`);
    return true;
  }
  res.writeHead(200, { ...PAGE_HEADERS, "Content-Type": type, "Content-Length": body.length });
  res.end(body);
  return true;
}
