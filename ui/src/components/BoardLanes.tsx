// The columns and cards of a pipeline board, shared by the deal boards and the disclosure
// board. Cards move by drag and drop (pointer events, so mouse, pen and touch alike), by
// their arrow buttons, or with Ctrl+←/→ on a focused card; arrow keys move the focus
// between cards and Enter opens one. What a move means (a dialog first, a backend call) is
// the caller's: `onMove` resolves to true once the card has moved, and the card keeps the
// focus in its new column.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n';

/** One column: a stage and the cards it shows. */
export interface Lane<C> {
  /** The stage's id, written as `data-stage`. */
  key: string;
  title: string;
  /** Count and total, shown under the title. */
  stats: string;
  /** Extra classes of the column (its outcome, for instance). */
  className?: string;
  cards: C[];
  /** Cards of the stage not shown in the column. */
  hidden: number;
  /** What an empty column says. */
  empty: string;
}

export function BoardLanes<C>(props: {
  id: string;
  lanes: Lane<C>[];
  cardId: (card: C) => string;
  cardTitle: (card: C) => string;
  /** Class of each card's element. */
  cardClass: string;
  /** The card's content; the move buttons follow it. */
  renderCard: (card: C) => JSX.Element;
  onOpen: (card: C) => void;
  onMove: (card: C, to: Lane<C>) => Promise<boolean>;
  moveLabel: (card: C, to: Lane<C>, forward: boolean) => string;
}) {
  const i = useI18n();
  const { t } = i;
  const { lanes } = props;
  const boardRef = useRef<HTMLDivElement>(null);
  // The card that just moved: it takes the focus once it shows in its new column.
  const focusAfter = useRef<{ id: string; lane: string } | null>(null);
  // While dragging, the column under the pointer lights up and receives the card on release.
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropLane, setDropLane] = useState<string | null>(null);

  const cardElement = (id: string, lane?: string) =>
    boardRef.current?.querySelector(`${lane ? `[data-stage="${lane}"] ` : ''}[data-card="${id}"]`) as HTMLElement | null;

  useEffect(() => {
    const pending = focusAfter.current;
    const element = pending && cardElement(pending.id, pending.lane);
    if (element) {
      element.focus();
      focusAfter.current = null;
    }
  });

  const move = async (card: C, to: Lane<C>) => {
    if (await props.onMove(card, to)) {
      focusAfter.current = { id: props.cardId(card), lane: to.key };
      cardElement(focusAfter.current.id, to.key)?.focus();
    }
  };

  const laneAt = (x: number, y: number): string | null =>
    (document.elementFromPoint(x, y)?.closest('[data-stage]') as HTMLElement | null)?.dataset.stage ?? null;

  const startDrag = (e: PointerEvent, card: C) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('button')) return;
    const origin = { x: e.clientX, y: e.clientY };
    const id = props.cardId(card);
    const source = e.currentTarget as HTMLElement;
    let active = false;
    // A copy of the card follows the pointer above every column (the card itself stays
    // dimmed in its column, which clips anything moved inside it).
    let ghost: HTMLElement | null = null;
    const onPointerMove = (ev: PointerEvent) => {
      if (!active && Math.hypot(ev.clientX - origin.x, ev.clientY - origin.y) < 6) return;
      if (!active) {
        const rect = source.getBoundingClientRect();
        ghost = source.cloneNode(true) as HTMLElement;
        ghost.removeAttribute('data-card');
        ghost.setAttribute('aria-hidden', 'true');
        ghost.classList.add('drag-ghost');
        ghost.style.width = `${rect.width}px`;
        ghost.style.left = `${rect.left}px`;
        ghost.style.top = `${rect.top}px`;
        document.body.appendChild(ghost);
      }
      active = true;
      if (ghost) ghost.style.transform = `translate(${ev.clientX - origin.x}px, ${ev.clientY - origin.y}px) rotate(1.5deg)`;
      setDragging(id);
      setDropLane(laneAt(ev.clientX, ev.clientY));
    };
    const onUp = (ev: PointerEvent) => {
      window.removeEventListener('pointermove', onPointerMove);
      window.removeEventListener('pointerup', onUp);
      ghost?.remove();
      setDragging(null);
      setDropLane(null);
      if (!active) return;
      const target = lanes.find((l) => l.key === laneAt(ev.clientX, ev.clientY));
      if (target && !target.cards.some((x) => props.cardId(x) === id)) void move(card, target);
    };
    window.addEventListener('pointermove', onPointerMove);
    window.addEventListener('pointerup', onUp);
  };

  const onCardKey = (e: KeyboardEvent, card: C, col: number, row: number) => {
    const focus = (c: number, r: number) => {
      const cards = lanes[c]?.cards ?? [];
      const target = cards[Math.max(0, Math.min(r, cards.length - 1))];
      if (target) cardElement(props.cardId(target))?.focus();
    };
    if (e.key === 'Enter' && e.target === e.currentTarget) props.onOpen(card);
    else if ((e.ctrlKey || e.metaKey) && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      const target = lanes[col + (e.key === 'ArrowRight' ? 1 : -1)];
      if (target) void move(card, target);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focus(col, row + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      focus(col + (e.key === 'ArrowRight' ? 1 : -1), row);
    }
  };

  return (
    <div class="board" ref={boardRef} id={props.id}>
      {lanes.map((lane, c) => {
        const back = lanes[c - 1];
        const next = lanes[c + 1];
        return (
          <div
            key={lane.key}
            class={`column ${lane.className ?? ''} ${dragging !== null && dropLane === lane.key ? 'drop-target' : ''}`}
            data-stage={lane.key}
          >
            <header class="column-head">
              <h2>{lane.title}</h2>
              <p class="muted small column-stats">{lane.stats}</p>
            </header>
            <div class="column-cards">
              {lane.cards.length === 0 && <p class="muted small empty-column">{lane.empty}</p>}
              {lane.cards.map((card, r) => {
                const id = props.cardId(card);
                const title = props.cardTitle(card);
                return (
                  <article
                    key={id}
                    tabIndex={0}
                    data-card={id}
                    aria-label={title}
                    class={`${props.cardClass} ${dragging === id ? 'dragging' : ''}`}
                    onPointerDown={(e) => startDrag(e, card)}
                    onKeyDown={(e) => onCardKey(e, card, c, r)}
                    onDblClick={() => props.onOpen(card)}
                  >
                    {props.renderCard(card)}
                    <div class="card-moves">
                      {back && (
                        <button
                          type="button"
                          class="move-back"
                          aria-label={props.moveLabel(card, back, false)}
                          title={back.title}
                          onClick={() => void move(card, back)}
                        >
                          ◀
                        </button>
                      )}
                      {next && (
                        <button
                          type="button"
                          class="move-next"
                          aria-label={props.moveLabel(card, next, true)}
                          title={next.title}
                          onClick={() => void move(card, next)}
                        >
                          ▶
                        </button>
                      )}
                    </div>
                  </article>
                );
              })}
              {lane.hidden > 0 && <p class="muted small">{t('board.moreCards', { count: i.number(lane.hidden) })}</p>}
            </div>
          </div>
        );
      })}
    </div>
  );
}
