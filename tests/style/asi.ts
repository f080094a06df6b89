// flue-blueprint: sandbox/asi@1
const list = [1, 2, 3];
(globalThis as { seen?: number[] }).seen = list;
[4, 5].forEach((n) => list.push(n));
`${list.length}`.trim();

/**
 * A JSDoc comment, re-indented by Prettier.
 */
export class Counter {
  /**
   * Counts.
   */
  count(): number {
    for (let i = 0; i < list.length; i++) {
      if (list[i] === 2) return i;
    }
    return -1;
  }
}
