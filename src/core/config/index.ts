export * from "./config.js";
export * from "./entry-point-defaults.js";
export * from "./load-config.js";
