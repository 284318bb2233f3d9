import { BatchErrors } from "../../core/batch-errors.js";
import { itemsFromSdk } from "./sdk-models.js";

/** One page of an SDK list: its items, and the absolute link to the next page while there is one. */
export type SdkPage = readonly unknown[] & { odatanextLink?: string };

/**
 * Every item of a list: the first page, then `listNext(odata.nextLink)` until the service gives
 * no further link. Items come back as core models.
 */
export async function listAll<T>(first: () => Promise<SdkPage>, next: (nextLink: string) => Promise<SdkPage>): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let page = await first();
  for (;;) {
    items.push(...itemsFromSdk<T>(page));
    const link = page.odatanextLink;
    if (!link) return items;
    if (seen.has(link)) throw BatchErrors.serverError(`The Batch service returned the same odata.nextLink twice (${link.split("?")[0]}).`);
    seen.add(link);
    page = await next(link);
  }
}
