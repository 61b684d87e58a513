// Pipeline boards: a column per stage with its count and total value; cards move by drag
// and drop, by their arrow buttons, or with Ctrl+←/→ on a focused card. A move to a lost
// stage asks for the reason first.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiFailure, type Board, type Card, type Column, type Outcome, type Pipeline, type Stage } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n } from '../i18n';
import { PIPELINES, pipelineLabel, problemText, stageName } from '../lib/labels';
import { todayIso } from '../lib/parse';

interface PendingLoss {
  card: Card;
  stage: Stage;
}

export function Boards(props: {
  pipeline: Pipeline;
  onPipeline: (p: Pipeline) => void;
  onOpen: (id: string) => void;
  onNew: (p: Pipeline) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loss, setLoss] = useState<PendingLoss | null>(null);
  const [editing, setEditing] = useState(false);
  const focusAfter = useRef<string | null>(null);
  const boardRef = useRef<HTMLDivElement>(null);
  // Dragging with pointer events: the card follows no ghost; the column under the pointer
  // lights up and receives the card on release. Works alike with mouse, pen and touch.
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropStage, setDropStage] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    api.getBoard(props.pipeline).then(setBoard).catch(setError);
  }, [props.pipeline]);
  useEffect(load, [load]);

  useEffect(() => {
    if (focusAfter.current && board) {
      (boardRef.current?.querySelector(`[data-card="${focusAfter.current}"]`) as HTMLElement | null)?.focus();
      focusAfter.current = null;
    }
  }, [board]);

  const move = async (card: Card, stage: Stage, reason = '') => {
    if (stage.outcome === 'lost' && !reason) {
      setLoss({ card, stage });
      return;
    }
    try {
      await api.moveDeal(card.id, stage.id, reason);
      focusAfter.current = card.id;
      setLoss(null);
      load();
    } catch (e) {
      if (loss) throw e;
      setError(e);
    }
  };

  const columns = board?.columns ?? [];

  const stageAt = (x: number, y: number): string | null =>
    (document.elementFromPoint(x, y)?.closest('[data-stage]') as HTMLElement | null)?.dataset.stage ?? null;

  const startDrag = (e: PointerEvent, card: Card) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('button')) return;
    const origin = { x: e.clientX, y: e.clientY };
    let active = false;
    const onMove = (ev: PointerEvent) => {
      if (!active && Math.hypot(ev.clientX - origin.x, ev.clientY - origin.y) < 6) return;
      active = true;
      setDragging(card.id);
      setDropStage(stageAt(ev.clientX, ev.clientY));
    };
    const onUp = (ev: PointerEvent) => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      setDragging(null);
      setDropStage(null);
      if (!active) return;
      const target = columns.find((c) => c.stage.id === stageAt(ev.clientX, ev.clientY));
      if (target && !target.cards.some((x) => x.id === card.id)) move(card, target.stage);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
  };
  const neighbour = (card: Card, step: number): Stage | undefined => {
    const at = columns.findIndex((c) => c.cards.some((x) => x.id === card.id));
    return columns[at + step]?.stage;
  };

  const onCardKey = (e: KeyboardEvent, card: Card, col: number, row: number) => {
    const focus = (c: number, r: number) => {
      const id = columns[c]?.cards[Math.max(0, Math.min(r, (columns[c]?.cards.length ?? 1) - 1))]?.id;
      if (id) (boardRef.current?.querySelector(`[data-card="${id}"]`) as HTMLElement | null)?.focus();
    };
    if (e.key === 'Enter') props.onOpen(card.id);
    else if ((e.ctrlKey || e.metaKey) && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      e.preventDefault();
      const target = neighbour(card, e.key === 'ArrowRight' ? 1 : -1);
      if (target) move(card, target);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focus(col, row + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      focus(col + (e.key === 'ArrowRight' ? 1 : -1), row);
    }
  };

  const today = todayIso();
  return (
    <section class="view board-view" aria-labelledby="board-title">
      <header class="view-header">
        <div>
          <h1 id="board-title">{t('board.title', { pipeline: pipelineLabel(i, props.pipeline) })}</h1>
          <p class="muted">{t('board.keyboardHint')}</p>
        </div>
        <div class="toolbar">
          <button type="button" class="button" id="edit-stages" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            {t('board.editStages')}
          </button>
          <button type="button" class="button button-primary" id="new-deal" onClick={() => props.onNew(props.pipeline)}>
            {t('board.newDeal')}
          </button>
        </div>
      </header>
      <div class="tabs" role="tablist">
        {PIPELINES.map((p) => (
          <button
            type="button"
            role="tab"
            id={`pipeline-${p}`}
            aria-selected={p === props.pipeline}
            class={p === props.pipeline ? 'tab active' : 'tab'}
            onClick={() => props.onPipeline(p)}
          >
            {pipelineLabel(i, p)}
          </button>
        ))}
      </div>
      <ErrorBanner error={error} onRetry={load} />
      {editing && board && <StageEditor pipeline={props.pipeline} stages={columns.map((c) => c.stage)} onChanged={load} />}
      <div class="board" ref={boardRef} id="board">
        {columns.map((column, c) => (
          <BoardColumn
            column={column}
            dropTarget={dragging !== null && dropStage === column.stage.id}
            renderCard={(card, r) => {
              const back = columns[c - 1]?.stage;
              const next = columns[c + 1]?.stage;
              const overdue = card.nextActionDue !== null && card.nextActionDue < today;
              return (
                <article
                  tabIndex={0}
                  data-card={card.id}
                  aria-label={card.title}
                  class={`card-deal ${dragging === card.id ? 'dragging' : ''}`}
                  onPointerDown={(e) => startDrag(e, card)}
                  onKeyDown={(e) => onCardKey(e, card, c, r)}
                  onDblClick={() => props.onOpen(card.id)}
                >
                  <button type="button" class="card-title" onClick={() => props.onOpen(card.id)}>
                    {card.title}
                  </button>
                  {card.organisationName && <p class="muted small">{card.organisationName}</p>}
                  {card.value !== null && <p class="value">{i.euros(card.value)}</p>}
                  {card.nextAction && (
                    <p class={`next-action ${overdue ? 'overdue' : ''}`}>
                      {card.nextAction}
                      {card.nextActionDue && ` · ${i.date(card.nextActionDue)}`}
                      {overdue && <strong> · {t('board.overdue')}</strong>}
                    </p>
                  )}
                  <div class="card-moves">
                    {back && (
                      <button
                        type="button"
                        class="move-back"
                        aria-label={t('board.moveBack', { title: card.title, stage: stageName(i, back) })}
                        title={stageName(i, back)}
                        onClick={() => move(card, back)}
                      >
                        ◀
                      </button>
                    )}
                    {next && (
                      <button
                        type="button"
                        class="move-next"
                        aria-label={t('board.moveForward', { title: card.title, stage: stageName(i, next) })}
                        title={stageName(i, next)}
                        onClick={() => move(card, next)}
                      >
                        ▶
                      </button>
                    )}
                  </div>
                </article>
              );
            }}
          />
        ))}
      </div>
      {loss && <LostDialog loss={loss} onCancel={() => setLoss(null)} onConfirm={(reason) => move(loss.card, loss.stage, reason)} />}
    </section>
  );
}

function BoardColumn(props: {
  column: Column;
  dropTarget: boolean;
  renderCard: (card: Card, row: number) => preact.JSX.Element;
}) {
  const i = useI18n();
  const { t } = i;
  const { column } = props;
  const hidden = column.count - column.cards.length;
  return (
    <div class={`column outcome-${column.stage.outcome} ${props.dropTarget ? 'drop-target' : ''}`} data-stage={column.stage.id}>
      <header class="column-head">
        <h2>{stageName(i, column.stage)}</h2>
        <p class="muted small column-stats">
          {column.count === 1
            ? t('board.columnOne', { total: i.euros(column.total) })
            : t('board.column', { count: i.number(column.count), total: i.euros(column.total) })}
        </p>
      </header>
      <div class="column-cards">
        {column.cards.length === 0 && <p class="muted small empty-column">{t('board.empty')}</p>}
        {column.cards.map((card, r) => props.renderCard(card, r))}
        {hidden > 0 && <p class="muted small">{t('board.moreCards', { count: i.number(hidden) })}</p>}
      </div>
    </div>
  );
}

function LostDialog(props: { loss: PendingLoss; onCancel: () => void; onConfirm: (reason: string) => Promise<void> }) {
  const i = useI18n();
  const { t } = i;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(t('problem.reasonRequired'));
      return;
    }
    try {
      await props.onConfirm(reason);
    } catch (err) {
      const fe = err instanceof ApiFailure ? err.fields.find((f) => f.field === 'lostReason') : undefined;
      setError(fe ? problemText(i, fe) : String((err as Error).message ?? err));
    }
  };
  return (
    <div class="modal-backdrop">
      <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="lost-title">
      <form class="modal-form" onSubmit={submit} noValidate>
        <h2 id="lost-title">{t('lost.title', { title: props.loss.card.title })}</h2>
        <p class="muted">{t('lost.hint')}</p>
        <div class={`field ${error ? 'field-invalid' : ''}`}>
          <label for="lost-reason">{t('field.lostReason')}</label>
          <textarea id="lost-reason" rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} autoFocus />
          {error && (
            <p class="field-error" role="alert" id="lost-reason-error">
              {error}
            </p>
          )}
        </div>
        <div class="form-actions">
          <button type="submit" class="button button-primary" id="confirm-lost">
            {t('lost.confirm', { stage: stageName(i, props.loss.stage) })}
          </button>
          <button type="button" class="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      </div>
    </div>
  );
}

const OUTCOMES: Outcome[] = ['open', 'won', 'lost'];

function StageEditor(props: { pipeline: Pipeline; stages: Stage[]; onChanged: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState('');
  const [outcome, setOutcome] = useState<Outcome>('open');
  const run = (p: Promise<unknown>) =>
    p.then(() => {
      setError(null);
      props.onChanged();
    }, setError);
  const swap = (a: number, b: number) => {
    const ids = props.stages.map((s) => s.id);
    [ids[a], ids[b]] = [ids[b]!, ids[a]!];
    run(api.reorderStages(props.pipeline, ids));
  };
  return (
    <div class="card stage-editor" id="stage-editor">
      <h2>{t('stages.title', { pipeline: pipelineLabel(i, props.pipeline) })}</h2>
      <ErrorBanner error={error} />
      <ol class="stage-list">
        {props.stages.map((s, n) => (
          <li key={s.id}>
            <input
              aria-label={t('stages.rename')}
              value={stageName(i, s)}
              onChange={(e) => run(api.renameStage(s.id, e.currentTarget.value))}
            />
            <span class={`badge outcome-badge-${s.outcome}`}>{t(`outcome.${s.outcome}`)}</span>
            <button type="button" class="button button-quiet" disabled={n === 0} aria-label={t('stages.up', { stage: stageName(i, s) })} onClick={() => swap(n, n - 1)}>
              ↑
            </button>
            <button
              type="button"
              class="button button-quiet"
              disabled={n === props.stages.length - 1}
              aria-label={t('stages.down', { stage: stageName(i, s) })}
              onClick={() => swap(n, n + 1)}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <form
        class="stage-add"
        onSubmit={(e) => {
          e.preventDefault();
          run(api.addStage(props.pipeline, name, outcome).then(() => setName('')));
        }}
      >
        <input aria-label={t('stages.newName')} placeholder={t('stages.newName')} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <select aria-label={t('stages.outcome')} value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as Outcome)}>
          {OUTCOMES.map((o) => (
            <option value={o}>{t(`outcome.${o}`)}</option>
          ))}
        </select>
        <button type="submit" class="button">
          {t('stages.add')}
        </button>
      </form>
    </div>
  );
}
