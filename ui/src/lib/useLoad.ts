// Loading a view's data from the backend when what it shows changes.
import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  /** The latest answer; `undefined` while the first one (or one for new `deps`) is on its way. */
  value: T | undefined;
  /** Why the latest request failed, else `null`. */
  error: unknown;
  /** Asks again with the same `deps`. */
  reload: () => void;
}

/**
 * Runs `load` when `deps` change and keeps its answer. An answer that arrives after a newer
 * request was made, or after the view is gone, is dropped: a slow answer for the record
 * the user left never shows on the record they opened next.
 */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setValue(undefined);
    setError(null);
    load().then(
      (v) => current && setValue(v),
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { value, error, reload: () => setRound((r) => r + 1) };
}
