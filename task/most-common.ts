/**
 * The ids of the `n` most common words, as `Counter.most_common(n)` ranks them on Python 3.7+:
 * by count descending, ties by first occurrence (the smaller id). `n <= 0` gives none, `n`
 * above `size` gives all. One pass over the ids with a heap of the best `n` so far, whose root
 * is the worst of them: O(size · log n), and only n ids held.
 */
export function mostCommonIds(size: number, countOf: (id: number) => number, n: number): number[] {
  const k = Math.min(n, size);
  if (!(k > 0)) return [];
  const ids = new Uint32Array(k);
  const counts = new Float64Array(k);
  /** Whether the heap's entry a ranks below entry b. */
  const below = (a: number, b: number) => counts[a]! < counts[b]! || (counts[a] === counts[b] && ids[a]! > ids[b]!);
  const swap = (a: number, b: number) => {
    const id = ids[a]!;
    const count = counts[a]!;
    ids[a] = ids[b]!;
    counts[a] = counts[b]!;
    ids[b] = id;
    counts[b] = count;
  };
  const siftDown = (from: number, heapSize: number) => {
    for (let parent = from; ;) {
      let worst = parent;
      const left = 2 * parent + 1;
      if (left < heapSize && below(left, worst)) worst = left;
      if (left + 1 < heapSize && below(left + 1, worst)) worst = left + 1;
      if (worst === parent) return;
      swap(parent, worst);
      parent = worst;
    }
  };
  for (let id = 0; id < size; id++) {
    const count = countOf(id);
    if (id < k) {
      ids[id] = id;
      counts[id] = count;
      for (let child = id; child > 0 && below(child, (child - 1) >> 1); child = (child - 1) >> 1) swap(child, (child - 1) >> 1);
    } else if (count > counts[0]!) {
      // Ids come in increasing order, so a word whose count only ties the root ranks below it.
      ids[0] = id;
      counts[0] = count;
      siftDown(0, k);
    }
  }
  const ranked = new Array<number>(k);
  for (let heapSize = k; heapSize > 0; heapSize--) {
    ranked[heapSize - 1] = ids[0]!;
    swap(0, heapSize - 1);
    siftDown(0, heapSize - 1);
  }
  return ranked;
}
