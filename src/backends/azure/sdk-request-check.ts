import { BatchServiceMappers } from "@azure/batch";
import { BatchErrors } from "../../core/batch-errors.js";

/** The part of an ms-rest-js mapper this check reads. */
interface MapperLike {
  type: {
    name: string;
    className?: string;
    modelProperties?: Record<string, MapperLike>;
    element?: MapperLike;
    value?: MapperLike;
  };
}

const MAPPERS = BatchServiceMappers as unknown as Record<string, MapperLike | undefined>;

function modelProperties(mapper: MapperLike): Record<string, MapperLike> | undefined {
  return mapper.type.modelProperties ?? (mapper.type.className ? MAPPERS[mapper.type.className]?.type.modelProperties : undefined);
}

/** The first property of `value` (a path such as `startTask.containerSettings.foo`) the mapper does not know. */
function firstUnknown(value: unknown, mapper: MapperLike, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const kind = mapper.type.name;
  if (kind === "Sequence" && Array.isArray(value) && mapper.type.element) {
    for (const [index, item] of value.entries()) {
      const unknown = firstUnknown(item, mapper.type.element, `${path}[${index}]`);
      if (unknown) return unknown;
    }
    return undefined;
  }
  if (kind !== "Composite" || typeof value !== "object" || Array.isArray(value)) return undefined;
  const properties = modelProperties(mapper);
  if (!properties) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const name = path ? `${path}.${key}` : key;
    const property = properties[key];
    if (!property) return name;
    const unknown = firstUnknown(item, property, name);
    if (unknown) return unknown;
  }
  return undefined;
}

/**
 * Refuses a request with a property `@azure/batch` 10.2.0 has no mapper for: its serializer
 * would drop it silently, and the service would run something else than was asked for.
 * `model` is the SDK's model name (`PoolAddParameter`, `TaskAddParameter`, ...); `value` is in
 * the SDK's spelling (after `toSdk`).
 */
export function checkSdkRequest(model: string, value: object): void {
  const mapper = MAPPERS[model];
  if (!mapper) throw new Error(`@azure/batch has no model '${model}'`);
  const unknown = firstUnknown(value, mapper, "");
  if (unknown) {
    throw BatchErrors.unsupportedProperty(
      unknown,
      "The Azure backend speaks api-version 2022-10-01.16.0 (@azure/batch 10.2.0), which has no such property; it is refused rather than dropped.",
    );
  }
}
