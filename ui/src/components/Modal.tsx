// Every overlay of the app (the search palette, confirmations, the lost-reason and decision
// dialogs) goes through this one component, so that each of them, every time it opens:
// - takes the keyboard focus (the `autofocus` attribute is applied once per document in
//   WebKit, so focus is moved here, synchronously, as the dialog is attached);
// - keeps Tab and Shift+Tab inside itself;
// - closes on Esc;
// - makes everything behind it inert, so no key or click reaches a form behind it;
// - gives the focus back to where it was when it closes.
import type { ComponentChildren } from 'preact';
import { createPortal } from 'preact/compat';
import { useLayoutEffect, useRef } from 'preact/hooks';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** How many overlays are open now; the app's shortcuts are off while one is. */
let open = 0;

/** True while an overlay is open: global shortcuts must not act behind it. */
export function overlayOpen(): boolean {
  return open > 0;
}

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null || el === document.activeElement);
}

/** The element behind every overlay: the app's root. */
function background(): HTMLElement | null {
  return document.getElementById('app');
}

export function Modal(props: {
  id?: string;
  class?: string;
  /** The id of the dialog's heading, or a label when it has none. */
  labelledBy?: string;
  label?: string;
  /** `alertdialog` for confirmations of something that cannot be undone. */
  role?: 'dialog' | 'alertdialog';
  onClose: () => void;
  /** A click on the dimmed background closes it too (the search palette). */
  closeOnBackdrop?: boolean;
  children: ComponentChildren;
}) {
  const dialog = useRef<HTMLDivElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;

  useLayoutEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const behind = background();
    open += 1;
    if (behind) behind.inert = true;
    const el = dialog.current;
    if (el) {
      const first = el.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(el)[0] ?? el;
      first.focus();
    }
    return () => {
      open -= 1;
      if (behind && open === 0) behind.inert = false;
      if (before && before.isConnected) before.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    // Keys typed in an overlay stay in it: the app's shortcuts listen on the window.
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose.current();
      return;
    }
    if (e.key !== 'Tab' || !dialog.current) return;
    const all = focusables(dialog.current);
    if (all.length === 0) {
      e.preventDefault();
      return;
    }
    const first = all[0]!;
    const last = all[all.length - 1]!;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !dialog.current.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !dialog.current.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div class="modal-backdrop" onClick={(e) => props.closeOnBackdrop && e.target === e.currentTarget && props.onClose()}>
      <div
        ref={dialog}
        id={props.id}
        class={`modal card ${props.class ?? ''}`}
        role={props.role ?? 'dialog'}
        aria-modal="true"
        aria-labelledby={props.labelledBy}
        aria-label={props.labelledBy ? undefined : props.label}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {props.children}
      </div>
    </div>,
    document.body,
  );
}
