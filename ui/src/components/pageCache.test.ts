import { describe, expect, it } from 'vitest';
import { PageCache } from './pageCache';

const page = (p: number, size = 10) => Array.from({ length: size }, (_, n) => p * size + n);

describe('PageCache', () => {
  it('claims each page a range needs once, up to the last row', () => {
    const c = new PageCache<number>(10);
    expect(c.claim(5, 24, 100)).toEqual([0, 1, 2]);
    expect(c.claim(0, 30, 100)).toEqual([3]);
    expect(c.claim(95, 140, 100)).toEqual([9]);
    expect(c.claim(0, 5, 0)).toEqual([]);
  });

  it('serves rows of arrived pages and nothing for pages still on their way', () => {
    const c = new PageCache<number>(10);
    c.claim(0, 19, 100);
    c.put(1, page(1), 15);
    expect(c.row(15)).toBe(15);
    expect(c.row(3)).toBeUndefined();
  });

  it('lets a failed page be claimed again', () => {
    const c = new PageCache<number>(10);
    expect(c.claim(0, 9, 100)).toEqual([0]);
    expect(c.claim(0, 9, 100)).toEqual([]);
    c.release(0);
    expect(c.claim(0, 9, 100)).toEqual([0]);
  });

  it('forgets the pages farthest from the rows in view beyond its limit', () => {
    const c = new PageCache<number>(10, 3);
    for (const p of [0, 1, 2, 3]) {
      c.claim(p * 10, p * 10 + 9, 1000);
      c.put(p, page(p), p * 10);
    }
    expect(c.size).toBe(3);
    expect(c.row(5)).toBeUndefined();
    expect(c.row(35)).toBe(35);
    // Scrolled back to the top: the far end goes, and page 0 may be fetched again.
    expect(c.claim(0, 9, 1000)).toEqual([0]);
    c.put(0, page(0), 0);
    expect(c.row(35)).toBeUndefined();
    expect(c.row(5)).toBe(5);
  });
});
