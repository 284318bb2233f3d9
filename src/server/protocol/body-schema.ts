import { BatchErrors } from "../../core/batch-errors.js";

/**
 * Schema-driven parsing of request bodies: a body is read once, at the edge, into the core
 * model types. A parser checks shape and JSON types and names every problem by its full path
 * (`virtualMachineConfiguration.containerConfiguration.foo`, `value[3].outputFiles[0].destination`);
 * value rules (id syntax, ranges, one resource-file source, ...) stay in `src/core/validation`.
 */

/** Reads the JSON value found at `path` (`""` for the body itself) as a `T`, or throws the service's 400 error. */
export type Parser<T> = (value: unknown, path: string) => T;

export interface KnownProperty<T, Required extends boolean> {
  readonly kind: "known";
  readonly parse: Parser<T>;
  readonly required: Required;
}

/** A property of the service's model that Malachite does not emulate: refused, never ignored. */
export interface UnsupportedProperty {
  readonly kind: "unsupported";
  readonly reason?: string;
}

/** A read-only property of the service's model: a request may carry it (copied from a response), it asks for nothing. */
export interface IgnoredProperty {
  readonly kind: "ignored";
}

type PropertySpec = KnownProperty<unknown, boolean> | UnsupportedProperty | IgnoredProperty;

/** The properties of one REST model type, by wire name. */
export type Shape = Record<string, PropertySpec>;

export function required<T>(parse: Parser<T>): KnownProperty<T, true> {
  return { kind: "known", parse, required: true };
}

export function optional<T>(parse: Parser<T>): KnownProperty<T, false> {
  return { kind: "known", parse, required: false };
}

export function unsupported(reason?: string): UnsupportedProperty {
  return reason === undefined ? { kind: "unsupported" } : { kind: "unsupported", reason };
}

export function readOnly(): IgnoredProperty {
  return { kind: "ignored" };
}

type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends KnownProperty<unknown, true> ? K : never }[keyof S];
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends KnownProperty<unknown, false> ? K : never }[keyof S];
type ValueOf<P> = P extends KnownProperty<infer T, boolean> ? T : never;
type Flatten<T> = { [K in keyof T]: T[K] };

/** What an object parser produces: its known properties, required ones always present. */
export type Parsed<S extends Shape> = Flatten<{ [K in RequiredKeys<S>]: ValueOf<S[K]> } & { [K in OptionalKeys<S>]?: ValueOf<S[K]> }>;

export function childPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/** A value as an error shows it: strings as they are, anything else as JSON, both cut short. */
export function shownValue(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An object of the REST model `typeName`. Each property the body has is parsed by its spec in the
 * order the body gives them; `null` values and OData annotations (`odata.*`) are skipped as the
 * service skips them. A property not in the shape is an invalid body; an `unsupported` one is
 * refused with `UnsupportedProperty`; a missing required one is `MissingRequiredProperty`.
 */
export function object<S extends Shape>(typeName: string, shape: S): Parser<Parsed<S>> {
  return (value, path) => {
    if (!isJsonObject(value)) throw BatchErrors.wrongPropertyType(path || "(body)", shownValue(value), `an object (${typeName})`);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === null || item === undefined || key.startsWith("odata.")) continue;
      const at = childPath(path, key);
      const spec = Object.hasOwn(shape, key) ? shape[key] : undefined;
      if (spec === undefined) throw BatchErrors.unknownProperty(at, typeName);
      if (spec.kind === "unsupported")
        throw BatchErrors.unsupportedProperty(at, spec.reason ?? `Malachite does not emulate the property '${key}' of ${typeName}.`);
      if (spec.kind === "known") result[key] = spec.parse(item, at);
    }
    for (const [key, spec] of Object.entries(shape)) {
      if (spec.kind === "known" && spec.required && result[key] === undefined) throw BatchErrors.missingProperty(childPath(path, key));
    }
    // Every key of `result` was produced by its spec and every required key is present: the shape's type.
    return result as Parsed<S>;
  };
}

/** A JSON array whose items `item` parses, each at `path[index]`. */
export function arrayOf<T>(item: Parser<T>): Parser<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw BatchErrors.wrongPropertyType(path, shownValue(value), "a list");
    return value.map((entry, index) => item(entry, `${path}[${index}]`));
  };
}
