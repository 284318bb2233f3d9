export * from "./common.js";
export * from "./pool.js";
export * from "./node.js";
export * from "./job.js";
export * from "./task.js";
export * from "./file.js";
export * from "./job-schedule.js";
