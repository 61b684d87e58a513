// The disclosure pipeline as a board: received → in assessment → decided. Cards move like
// the deal boards' (BoardLanes); a move to "decided" first asks for the decision and its
// date, and cancelling leaves the card where it was. A move back withdraws the decision.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, type Decision, type DisclosureBoard as Board, type DisclosureRow, type DisclosureStage } from '../api';
import { BoardLanes, type Lane } from '../components/BoardLanes';
import { ErrorBanner, failureText } from '../components/ErrorBanner';
import { Modal } from '../components/Modal';
import { ViewSwitch } from '../components/ViewSwitch';
import { useI18n } from '../i18n';
import { DECISIONS, decisionLabel, problemText, stageLabel } from '../lib/labels';
import { formatDateInput, parseDate, todayIso } from '../lib/parse';

interface PendingDecision {
  card: DisclosureRow;
  /** Settles the move: true once decided, false when cancelled. */
  done: (moved: boolean) => void;
}

export function DisclosureBoard(props: { onOpen: (id: string) => void; onNew: () => void; onList: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [board, setBoard] = useState<Board | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [deciding, setDeciding] = useState<PendingDecision | null>(null);

  const load = useCallback(() => {
    setError(null);
    api.getDisclosureBoard().then(setBoard).catch(setError);
  }, []);
  useEffect(load, [load]);

  const move = async (card: DisclosureRow, stage: DisclosureStage): Promise<boolean> => {
    if (stage === 'decided') return new Promise<boolean>((done) => setDeciding({ card, done }));
    try {
      await api.moveDisclosure(card.id, stage);
      load();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };

  const decide = async (decision: Decision, decidedOn: string) => {
    if (!deciding) return;
    // A refusal is shown in the dialog, which stays open.
    await api.moveDisclosure(deciding.card.id, 'decided', decision, decidedOn);
    deciding.done(true);
    setDeciding(null);
    load();
  };

  const lanes: Lane<DisclosureRow>[] = (board?.columns ?? []).map((column) => ({
    key: column.stage,
    title: stageLabel(i, column.stage),
    stats: column.count === 1 ? t('dboard.columnOne') : t('dboard.column', { count: i.number(column.count) }),
    className: `disclosure-stage-${column.stage}`,
    cards: column.cards,
    hidden: column.count - column.cards.length,
    empty: t('dboard.empty'),
  }));

  return (
    <section class="view board-view" aria-labelledby="disclosure-board-title">
      <header class="view-header">
        <div>
          <h1 id="disclosure-board-title">{t('dboard.title')}</h1>
          <p class="muted">{t('dboard.hint')}</p>
        </div>
        <div class="toolbar">
          <ViewSwitch
            label={t('view.show')}
            value="board"
            options={[
              { value: 'list', id: 'show-list', label: t('view.list') },
              { value: 'board', id: 'show-disclosure-board', label: t('view.board') },
            ]}
            onChange={props.onList}
          />
          <button type="button" class="button button-primary" id="new-disclosure" onClick={props.onNew}>
            {t('list.new')}
          </button>
        </div>
      </header>
      <ErrorBanner error={error} onRetry={load} />
      <BoardLanes
        id="disclosure-board"
        lanes={lanes}
        cardId={(card) => card.id}
        cardTitle={(card) => card.title}
        cardClass="card-deal card-disclosure"
        onOpen={(card) => props.onOpen(card.id)}
        onMove={(card, lane) => move(card, lane.key as DisclosureStage)}
        moveLabel={(card, lane, forward) =>
          t(forward ? 'board.moveForward' : 'board.moveBack', { title: card.title, stage: lane.title })
        }
        renderCard={(card) => (
          <>
            <button type="button" class="card-title" onClick={() => props.onOpen(card.id)}>
              {card.title}
            </button>
            <p class="muted small">
              {card.reference}
              {card.faculty && ` · ${card.faculty}`}
            </p>
            {card.inventors && <p class="small card-inventors">{card.inventors}</p>}
            <p class="muted small">{t('dboard.received', { date: i.date(card.receivedOn) })}</p>
            {card.decision && <p class={`badge decision-badge decision-${card.decision}`}>{decisionLabel(i, card.decision)}</p>}
          </>
        )}
      />
      {deciding && (
        <DecisionDialog
          card={deciding.card}
          onCancel={() => {
            deciding.done(false);
            setDeciding(null);
          }}
          onConfirm={decide}
        />
      )}
    </section>
  );
}

function DecisionDialog(props: {
  card: DisclosureRow;
  onCancel: () => void;
  onConfirm: (decision: Decision, decidedOn: string) => Promise<void>;
}) {
  const i = useI18n();
  const { t } = i;
  const [decision, setDecision] = useState<Decision | null>(null);
  const [date, setDate] = useState(formatDateInput(todayIso(), i.lang));
  const [errors, setErrors] = useState<{ decision?: string; decidedOn?: string; other?: string }>({});

  const submit = async (e: Event) => {
    e.preventDefault();
    const found: typeof errors = {};
    const iso = date.trim() ? parseDate(date) : null;
    if (!decision) found.decision = t('problem.decisionRequired');
    if (!date.trim()) found.decidedOn = t('problem.required');
    else if (!iso) found.decidedOn = t('problem.badDate', { example: formatDateInput(todayIso(), i.lang) });
    setErrors(found);
    if (!decision || !iso) return;
    try {
      await props.onConfirm(decision, iso);
    } catch (err) {
      const fields = err instanceof ApiFailure ? err.fields : [];
      const byField = (name: string) => {
        const f = fields.find((x) => x.field === name);
        return f ? problemText(i, f) : undefined;
      };
      const known = { decision: byField('decision'), decidedOn: byField('decidedOn') };
      setErrors({ ...known, other: known.decision || known.decidedOn ? undefined : failureText(t, err) });
    }
  };

  return (
    <Modal id="decision-dialog" labelledBy="decide-title" onClose={props.onCancel}>
        <form class="modal-form" onSubmit={submit} noValidate>
          <h2 id="decide-title">{t('decide.title', { title: props.card.title })}</h2>
          <p class="muted">{t('decide.hint')}</p>
          {errors.other && (
            <p class="field-error" role="alert" id="decision-other-error">
              {errors.other}
            </p>
          )}
          <fieldset class={`field decision-choice ${errors.decision ? 'field-invalid' : ''}`} id="decision-choice">
            <legend>{t('field.decision')}</legend>
            {DECISIONS.map((d, n) => (
              <label class="radio">
                <input
                  type="radio"
                  name="decision"
                  id={`decision-${d}`}
                  value={d}
                  checked={decision === d}
                  data-autofocus={n === 0 ? true : undefined}
                  onChange={() => setDecision(d)}
                />{' '}
                {decisionLabel(i, d)}
              </label>
            ))}
            {errors.decision && (
              <p class="field-error" role="alert" id="decision-error">
                {errors.decision}
              </p>
            )}
          </fieldset>
          <div class={`field ${errors.decidedOn ? 'field-invalid' : ''}`}>
            <label for="decided-on">{t('field.decidedOn')}</label>
            <input
              id="decided-on"
              inputMode="numeric"
              placeholder={t('form.datePlaceholder')}
              value={date}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
            {errors.decidedOn && (
              <p class="field-error" role="alert" id="decided-on-error">
                {errors.decidedOn}
              </p>
            )}
          </div>
          <div class="form-actions">
            <button type="submit" class="button button-primary" id="confirm-decision">
              {t('decide.confirm')}
            </button>
            <button type="button" class="button" id="cancel-decision" onClick={props.onCancel}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
    </Modal>
  );
}
