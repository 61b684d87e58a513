// Pages of a long table fetched by offset as the user scrolls: which pages a visible range
// needs, which are on their way, and which to forget so that memory stays bounded however
// far the user scrolls.

export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();
  private readonly pending = new Set<number>();

  constructor(
    readonly pageSize: number,
    /** Pages kept at most; the ones farthest from the rows in view go first. */
    readonly keep: number = 30,
  ) {}

  /** The row at `index`, if its page has arrived. */
  row(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /**
   * The pages that rows `first`..`last` (inclusive) need and that are neither here nor on
   * their way; they are marked as on their way.
   */
  claim(first: number, last: number, total: number): number[] {
    if (total <= 0 || last < first) return [];
    const lastRow = Math.min(last, total - 1);
    const wanted: number[] = [];
    for (let p = Math.floor(Math.max(0, first) / this.pageSize); p <= Math.floor(lastRow / this.pageSize); p++) {
      if (!this.pages.has(p) && !this.pending.has(p)) {
        this.pending.add(p);
        wanted.push(p);
      }
    }
    return wanted;
  }

  /** Stores an arrived page and forgets the pages farthest from `nearRow` beyond `keep`. */
  put(page: number, rows: T[], nearRow: number): void {
    this.pending.delete(page);
    this.pages.set(page, rows);
    if (this.pages.size <= this.keep) return;
    const near = Math.floor(nearRow / this.pageSize);
    const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
    for (const p of byDistance.slice(0, this.pages.size - this.keep)) this.pages.delete(p);
  }

  /** A page that failed to arrive may be asked for again. */
  release(page: number): void {
    this.pending.delete(page);
  }

  /** How many pages are held. */
  get size(): number {
    return this.pages.size;
  }
}
