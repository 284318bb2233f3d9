/**
 * The parameters of a route pattern, by name: `"/pools/{poolId}/nodes/{nodeId}"` gives
 * `{ poolId: string; nodeId: string }`, and `{*filePath}` (the rest of the path) gives `filePath`.
 */
export type RouteParams<Pattern extends string> = Flatten<ParamsOf<Pattern>>;

type ParamsOf<Pattern extends string> = Pattern extends `${string}{${infer Name}}${infer Rest}`
  ? { [K in Name extends `*${infer Rest}` ? Rest : Name]: string } & ParamsOf<Rest>
  : unknown;

type Flatten<T> = { [K in keyof T]: T[K] };
