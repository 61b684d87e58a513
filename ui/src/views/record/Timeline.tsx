// A record's timeline: every change with who and when, and notes added to it.
import { useState } from 'preact/hooks';
import type { Activity, KindSpec } from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useI18n } from '../../i18n';
import { fieldName, showValue } from '../../lib/records';

export function Timeline(props: { items: Activity[]; spec: KindSpec; onNote: (text: string) => Promise<void> }) {
  const i = useI18n();
  const { t } = i;
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const value = (key: string | null, v: string | null) => {
    const f = props.spec.fields.find((x) => x.key === key);
    if (v === null) return t('history.empty');
    if (!f || f.type === 'link') return v;
    if (f.type === 'money' || f.type === 'integer') return showValue(i, f, Number(v));
    if (f.type === 'bool') return showValue(i, f, v === 'yes');
    return showValue(i, f, v);
  };
  return (
    <div class="card" id="timeline">
      <h2>{t('records.timeline')}</h2>
      <form
        class="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          props
            .onNote(note)
            .then(() => {
              setNote('');
              setError(null);
            })
            .catch(setError);
        }}
      >
        <label for="note-text">{t('records.note')}</label>
        <textarea id="note-text" rows={2} value={note} placeholder={t('records.notePlaceholder')} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        {error !== null && <ErrorBanner error={error} />}
        <button type="submit" class="button" id="add-note" disabled={note.trim() === ''}>
          {t('records.noteSave')}
        </button>
      </form>
      <ol class="timeline">
        {props.items.map((a) => (
          <li class={`timeline-entry entry-${a.action}`}>
            <span class="muted small">{i.dateTime(a.at)} · </span>
            {a.action === 'noted' ? (
              <>
                <strong>{t('records.noted', { actor: a.actor })}</strong>
                <p class="prewrap note-text">{a.newValue}</p>
              </>
            ) : a.action === 'created' ? (
              t('records.created', { actor: a.actor })
            ) : a.action === 'deleted' ? (
              t('records.deletedEvent', { actor: a.actor })
            ) : a.action === 'synced' ? (
              t('history.synced', { device: a.newValue ?? '' })
            ) : (
              <>
                {t('records.changed', { actor: a.actor, field: fieldName(i, a.field ?? '').toLowerCase() })}:{' '}
                <del>{value(a.field, a.oldValue)}</del> → <ins>{value(a.field, a.newValue)}</ins>
              </>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
