import type { ViewEnded } from "../src/dashboard/view-models.js";

/** A state as a coloured label; the colour comes from the stylesheet by state name. */
export function StateBadge({ state }: { state: string }) {
  return (
    <span class={`state state-${state}`} data-state={state}>
      {state}
    </span>
  );
}

/** Why the view is not current (a failed read), if it is not. */
export function Problem({ problem }: { problem?: ViewEnded }) {
  return problem ? (
    <p class="error">
      {problem.code}: {problem.message}
    </p>
  ) : null;
}

/** The entity of a view is gone, or never was. */
export function Ended({ ended, what }: { ended: ViewEnded; what: string }) {
  return (
    <section>
      <h1>{what}</h1>
      <p class="error">
        {ended.code}: {ended.message}
      </p>
      <a href="#/">Back to the account</a>
    </section>
  );
}

/** Name/value rows of an entity's properties. */
export function Properties({ rows }: { rows: [string, unknown][] }) {
  return (
    <table class="properties">
      <tbody>
        {rows
          .filter(([, value]) => value !== undefined && value !== "")
          .map(([name, value]) => (
            <tr key={name}>
              <th>{name}</th>
              <td>{typeof value === "object" ? <code>{JSON.stringify(value)}</code> : String(value as string | number | boolean)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
