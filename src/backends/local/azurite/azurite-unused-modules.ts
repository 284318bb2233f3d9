/**
 * Two packages Azurite loads at start and Malachite never uses: `applicationinsights` (telemetry,
 * which Malachite always disables) and `sequelize` (the SQL metadata store, used only with
 * `AZURITE_DB`, which Malachite never passes on). Loading them was half of Azurite's start-up CPU:
 * applicationinsights also hooks every later `require`. A module preloaded into the child hands
 * Azurite a placeholder for each instead; any use beyond what Azurite does at load time (declaring
 * classes that extend `sequelize.Model`) throws, naming the package.
 */
const UNUSED_MODULES_PRELOAD = `
import Module from "node:module";
const placeholder = (name) => {
  const fail = (what) => {
    throw new Error(name + " is not loaded in Malachite's Azurite (" + what + " was used)");
  };
  class Model {
    static init() {
      fail("Model.init");
    }
  }
  return new Proxy({}, {
    get(_, key) {
      if (key === "Model") return Model;
      if (typeof key === "symbol" || key === "__esModule" || key === "default" || key === "then") return undefined;
      return fail(String(key));
    },
  });
};
const placeholders = new Map([["sequelize", placeholder("sequelize")], ["applicationinsights", placeholder("applicationinsights")]]);
const load = Module._load;
Module._load = function (request, ...rest) {
  return placeholders.get(request) ?? load.call(this, request, ...rest);
};
`;

/** The preload as a module URL for `node --import`. */
export const UNUSED_MODULES_PRELOAD_URL = `data:text/javascript,${encodeURIComponent(UNUSED_MODULES_PRELOAD)}`;

/** Environment variables that would make Azurite use what the preload leaves out. */
export const ENVIRONMENT_NEEDING_UNUSED_MODULES = ["AZURITE_DB"];
