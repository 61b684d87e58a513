// State that outlives its view for the rest of the session: a table's search, filters,
// sort and chosen view survive opening a record and coming "← Back" to the table.
import { useState } from 'preact/hooks';

const kept = new Map<string, unknown>();

/** `useState`, remembered under `key` while the app runs (not written to disk). */
export function useRemembered<T>(key: string, initial: T | (() => T)): [T, (next: T | ((current: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => (kept.has(key) ? (kept.get(key) as T) : typeof initial === 'function' ? (initial as () => T)() : initial));
  const set = (next: T | ((current: T) => T)) =>
    setValue((current) => {
      const v = typeof next === 'function' ? (next as (c: T) => T)(current) : next;
      kept.set(key, v);
      return v;
    });
  return [value, set];
}
