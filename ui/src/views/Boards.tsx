// Pipeline boards: a column per stage with its count and total value; cards move by drag
// and drop, by their arrow buttons, or with Ctrl+←/→ on a focused card (BoardLanes). A
// move to a lost stage asks for the reason first. The same deals show as a table.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, type Board, type Card, type Outcome, type Pipeline, type Stage } from '../api';
import { BoardLanes, type Lane } from '../components/BoardLanes';
import { ErrorBanner } from '../components/ErrorBanner';
import { Modal } from '../components/Modal';
import { ViewSwitch } from '../components/ViewSwitch';
import { useI18n } from '../i18n';
import { PIPELINES, pipelineLabel, problemText, stageName } from '../lib/labels';
import { todayIso } from '../lib/parse';
import { DealTable } from './DealTable';

interface PendingLoss {
  card: Card;
  stage: Stage;
  /** Settles the move: true once the deal is lost with its reason, false when cancelled. */
  done: (moved: boolean) => void;
}

type Mode = 'board' | 'table';
// The last choice of board or table holds while the app runs, across pipelines and deals.
let lastMode: Mode = 'board';

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
  const [mode, setModeState] = useState<Mode>(lastMode);
  const setMode = (m: Mode) => {
    lastMode = m;
    setModeState(m);
  };

  const load = useCallback(() => {
    setError(null);
    api.getBoard(props.pipeline).then(setBoard).catch(setError);
  }, [props.pipeline]);
  useEffect(load, [load]);

  const columns = board?.columns ?? [];

  const move = async (card: Card, stage: Stage): Promise<boolean> => {
    if (stage.outcome === 'lost') return new Promise<boolean>((done) => setLoss({ card, stage, done }));
    try {
      await api.moveDeal(card.id, stage.id, '');
      load();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };

  const confirmLoss = async (reason: string) => {
    if (!loss) return;
    // A refusal is shown in the dialog, which stays open.
    await api.moveDeal(loss.card.id, loss.stage.id, reason);
    loss.done(true);
    setLoss(null);
    load();
  };

  const lanes: Lane<Card>[] = columns.map((column) => ({
    key: column.stage.id,
    title: stageName(i, column.stage),
    stats:
      column.count === 1
        ? t('board.columnOne', { total: i.euros(column.total) })
        : t('board.column', { count: i.number(column.count), total: i.euros(column.total) }),
    className: `outcome-${column.stage.outcome}`,
    cards: column.cards,
    hidden: column.count - column.cards.length,
    empty: t('board.empty'),
  }));
  const stageOf = (lane: Lane<Card>) => columns.find((c) => c.stage.id === lane.key)?.stage;
  // A won or lost deal's next action is no longer due: it is never shown as overdue.
  const closedCards = new Set(columns.filter((c) => c.stage.outcome !== 'open').flatMap((c) => c.cards.map((card) => card.id)));

  const today = todayIso();
  return (
    <section class="view board-view" aria-labelledby="board-title">
      <header class="view-header">
        <div>
          <h1 id="board-title">{t('board.title', { pipeline: pipelineLabel(i, props.pipeline) })}</h1>
          <p class="muted">{mode === 'board' ? t('board.keyboardHint') : t('dealTable.hint')}</p>
        </div>
        <div class="toolbar">
          <ViewSwitch
            label={t('view.show')}
            value={mode}
            options={[
              { value: 'board', id: 'show-board', label: t('view.board') },
              { value: 'table', id: 'show-table', label: t('view.table') },
            ]}
            onChange={setMode}
          />
          {mode === 'board' && (
            <button type="button" class="button" id="edit-stages" aria-expanded={editing} onClick={() => setEditing(!editing)}>
              {t('board.editStages')}
            </button>
          )}
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
      {mode === 'table' ? (
        <DealTable key={props.pipeline} pipeline={props.pipeline} stages={columns.map((c) => c.stage)} onOpen={props.onOpen} />
      ) : (
        <>
          {editing && board && <StageEditor pipeline={props.pipeline} stages={columns.map((c) => c.stage)} onChanged={load} />}
          <BoardLanes
            id="board"
            lanes={lanes}
            cardId={(card) => card.id}
            cardTitle={(card) => card.title}
            cardClass="card-deal"
            onOpen={(card) => props.onOpen(card.id)}
            onMove={(card, lane) => {
              const stage = stageOf(lane);
              return stage ? move(card, stage) : Promise.resolve(false);
            }}
            moveLabel={(card, lane, forward) =>
              t(forward ? 'board.moveForward' : 'board.moveBack', { title: card.title, stage: lane.title })
            }
            renderCard={(card) => {
              const overdue = card.nextActionDue !== null && card.nextActionDue < today && !closedCards.has(card.id);
              return (
                <>
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
                </>
              );
            }}
          />
        </>
      )}
      {loss && (
        <LostDialog
          loss={loss}
          onCancel={() => {
            loss.done(false);
            setLoss(null);
          }}
          onConfirm={confirmLoss}
        />
      )}
    </section>
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
    <Modal labelledBy="lost-title" onClose={props.onCancel}>
      <form class="modal-form" onSubmit={submit} noValidate>
        <h2 id="lost-title">{t('lost.title', { title: props.loss.card.title })}</h2>
        <p class="muted">{t('lost.hint')}</p>
        <div class={`field ${error ? 'field-invalid' : ''}`}>
          <label for="lost-reason">{t('field.lostReason')}</label>
          <textarea id="lost-reason" rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} data-autofocus />
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
    </Modal>
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
