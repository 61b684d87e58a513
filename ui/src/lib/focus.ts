// Focus for the first field of a form, given the moment the field exists.
//
// The `autofocus` attribute is applied by WebKit at a later rendering step, so focus could
// jump back to the first field while the user (or a fast typist) is already in the second.
// A ref callback focuses synchronously, once, when the element is attached.
import { useCallback, useRef } from 'preact/hooks';

export function useFocusOnce<T extends HTMLElement>(): (el: T | null) => void {
  const done = useRef(false);
  return useCallback((el: T | null) => {
    if (el && !done.current) {
      done.current = true;
      el.focus();
    }
  }, []);
}
