// A patent's or agreement's own deadlines on its record page: the same ones My week lists
// near today (priority year, publication, national phase, EP validation, agreement end),
// here all of them, with the passed ones marked.
import { useEffect, useState } from 'preact/hooks';
import { api, type RecordDeadline, type RecordKind } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n } from '../i18n';
import { deadlineLabel } from '../lib/labels';
import { todayIso } from '../lib/parse';

/** The kinds whose dates give deadlines. */
export const KINDS_WITH_DEADLINES: RecordKind[] = ['patent', 'agreement'];

export function RecordDeadlines(props: { kind: RecordKind; id: string; version: string }) {
  const i = useI18n();
  const { t } = i;
  const [items, setItems] = useState<RecordDeadline[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    api
      .recordDeadlines(props.kind, props.id)
      .then((d) => live && setItems(d))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [props.kind, props.id, props.version]);
  const today = todayIso();
  return (
    <div class="card" id="record-deadlines">
      <h2>{t('records.deadlines')}</h2>
      <ErrorBanner error={error} />
      {items && items.length === 0 && <p class="muted">{t('records.noDeadlines')}</p>}
      {items && items.length > 0 && (
        <ul class="deadline-list">
          {items.map((d) => (
            <li class={d.due < today ? 'deadline-passed' : d.due === today ? 'deadline-today' : ''} data-kind={d.kind}>
              <span class="deadline-due">{i.date(d.due)}</span> <span>{deadlineLabel(i, d)}</span>
              {d.due < today && <span class="muted small"> · {t('records.deadlinePassed')}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
