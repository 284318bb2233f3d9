/**
 * A tiny namespaced logger. `debug` prints only when MALACHITE_DEBUG is set (to `1`, `*`, or a
 * comma-separated list of namespace prefixes). Everything goes to stderr so stdout stays the
 * program's own output. Never pass keys or SAS tokens to it.
 */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
}

function debugEnabled(namespace: string): boolean {
  const setting = process.env.MALACHITE_DEBUG;
  if (!setting) return false;
  if (setting === "1" || setting === "*" || setting === "true") return true;
  return setting.split(",").some((prefix) => prefix && namespace.startsWith(prefix.trim()));
}

function format(namespace: string, message: string, context?: Record<string, unknown>): string {
  const suffix = context && Object.keys(context).length > 0 ? ` ${JSON.stringify(context)}` : "";
  return `[${namespace}] ${message}${suffix}\n`;
}

export function createLogger(namespace: string): Logger {
  return {
    debug: (message, context) => {
      if (debugEnabled(namespace)) process.stderr.write(format(namespace, message, context));
    },
    info: (message, context) => process.stderr.write(format(namespace, message, context)),
    warn: (message, context) => process.stderr.write(format(namespace, `warning: ${message}`, context)),
  };
}
