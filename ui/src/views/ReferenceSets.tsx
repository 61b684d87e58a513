// Reference term sets in Learn: the sets shipped with KTO Desk (read-only, with source and
// date) and the office's own sets, which it creates (from scratch or as a copy of a shipped
// set), edits and deletes. The office's sets are offered by the spin-off terms check.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { termsApi, type ReferenceSet, type ReferenceSetEntry, type TermKey, type TermUnit } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { NumberInput } from '../components/NumberInput';
import { useI18n, type MessageKey } from '../i18n';
import type { NumberKind } from '../lib/parse';
import { problemText } from './CapTableEditor';
import { unitText } from './SpinOffTerms';
import { copySetForm, emptySetForm, setFormOf, setOfForm, TERM_KEYS, UNIT_OF, type Problems, type RangeRow, type SetForm } from '../lib/termsForms';

const k = (key: string) => key as MessageKey;

type Mode = { name: 'list' } | { name: 'view'; set: ReferenceSet } | { name: 'edit'; form: SetForm };

export function ReferenceSets() {
  const i = useI18n();
  const { t } = i;
  const [entries, setEntries] = useState<ReferenceSetEntry[] | null>(null);
  const [mode, setMode] = useState<Mode>({ name: 'list' });
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = () =>
    termsApi
      .listReferenceSets()
      .then(setEntries)
      .catch(setError);
  useEffect(() => {
    load();
  }, []);

  if (!entries) return <div class="card">{error ? <ErrorBanner error={error} onRetry={load} /> : <p class="muted">{t('common.loading')}</p>}</div>;

  if (mode.name === 'edit') {
    return (
      <SetEditor
        form={mode.form}
        takenIds={entries.map((e) => e.set.id)}
        onCancel={() => setMode({ name: 'list' })}
        onSaved={(set) => {
          setNotice(t('refSets.saved', { name: set.name }));
          setMode({ name: 'list' });
          load();
        }}
      />
    );
  }
  if (mode.name === 'view') return <SetView set={mode.set} onBack={() => setMode({ name: 'list' })} onCopy={() => setMode({ name: 'edit', form: copySetForm(mode.set, t('refSets.copyName', { name: mode.set.name }), i.lang) })} />;

  const shipped = entries.filter((e) => e.shipped).map((e) => e.set);
  const own = entries.filter((e) => !e.shipped).map((e) => e.set);
  const remove = async (set: ReferenceSet) => {
    setError(null);
    try {
      await termsApi.deleteReferenceSet(set.id);
      setConfirming(null);
      setNotice(t('refSets.deleted', { name: set.name }));
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div class="card ref-sets" id="reference-sets">
      <header class="sandbox-head">
        <h2 id="ref-sets-title">{t('refSets.title')}</h2>
        <button type="button" class="button button-primary" id="set-new" onClick={() => setMode({ name: 'edit', form: emptySetForm() })}>
          {t('refSets.new')}
        </button>
      </header>
      <p class="muted">{t('refSets.intro')}</p>
      <ErrorBanner error={error} />
      {notice && (
        <div class="banner banner-ok" role="status" id="sets-notice">
          {notice}
        </div>
      )}
      <h3>{t('refSets.own')}</h3>
      {own.length === 0 ? (
        <p class="muted" id="own-sets-empty">
          {t('refSets.noOwn')}
        </p>
      ) : (
        <SetTable
          id="own-sets"
          sets={own}
          actions={(set) =>
            confirming === set.id ? (
              <span class="confirm-delete" role="group" aria-label={t('refSets.confirmDelete', { name: set.name })}>
                <span>{t('refSets.confirmDelete', { name: set.name })}</span>{' '}
                <button type="button" class="button button-danger" id="set-delete-confirm" onClick={() => remove(set)}>
                  {t('refSets.delete')}
                </button>{' '}
                <button type="button" class="button button-quiet" id="set-delete-cancel" onClick={() => setConfirming(null)}>
                  {t('common.cancel')}
                </button>
              </span>
            ) : (
              <>
                <button type="button" class="button" id={`set-edit-${set.id}`} onClick={() => setMode({ name: 'edit', form: setFormOf(set, i.lang) })}>
                  {t('refSets.edit')}
                </button>{' '}
                <button type="button" class="button button-quiet" id={`set-delete-${set.id}`} onClick={() => setConfirming(set.id)}>
                  {t('refSets.delete')}
                </button>
              </>
            )
          }
        />
      )}
      <h3>{t('refSets.builtIn')}</h3>
      <SetTable
        id="shipped-sets"
        sets={shipped}
        actions={(set) => (
          <>
            <button type="button" class="button button-quiet" id={`set-view-${set.id}`} onClick={() => setMode({ name: 'view', set })}>
              {t('refSets.view')}
            </button>{' '}
            <button
              type="button"
              class="button"
              id={`set-copy-${set.id}`}
              onClick={() => setMode({ name: 'edit', form: copySetForm(set, t('refSets.copyName', { name: set.name }), i.lang) })}
            >
              {t('refSets.copy')}
            </button>
          </>
        )}
      />
    </div>
  );
}

function SetTable(props: { id: string; sets: ReferenceSet[]; actions: (set: ReferenceSet) => ComponentChildren }) {
  const { t } = useI18n();
  return (
    <table class="simple-table ref-set-table" id={props.id}>
      <thead>
        <tr>
          <th scope="col">{t('refSets.name')}</th>
          <th scope="col">{t('refSets.source')}</th>
          <th scope="col">{t('refSets.date')}</th>
          <th scope="col">{t('refSets.terms')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('refSets.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.sets.map((set) => (
          <tr id={`set-${set.id}`}>
            <th scope="row">{set.name}</th>
            <td class="small">{set.source}</td>
            <td>{set.sourceDate ?? '–'}</td>
            <td class="num">{new Set(set.ranges.map((r) => r.term)).size}</td>
            <td class="set-actions">{props.actions(set)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A shipped set, read-only: its notes and every range with its note. */
function SetView(props: { set: ReferenceSet; onBack: () => void; onCopy: () => void }) {
  const i = useI18n();
  const { t } = i;
  const { set } = props;
  return (
    <div class="card ref-sets" id="set-view">
      <header class="sandbox-head">
        <h2>{set.name}</h2>
        <button type="button" class="button" id="set-view-copy" onClick={props.onCopy}>
          {t('refSets.copy')}
        </button>
        <button type="button" class="button button-quiet" id="set-view-back" onClick={props.onBack}>
          {t('refSets.back')}
        </button>
      </header>
      <p class="small">{t('spinTerms.source', { source: `${set.source}${set.sourceDate ? ` (${set.sourceDate})` : ''}` })}</p>
      {set.notes.length > 0 && (
        <ul class="small">
          {set.notes.map((n) => (
            <li>{n}</li>
          ))}
        </ul>
      )}
      <table class="simple-table">
        <thead>
          <tr>
            <th scope="col">{t('spinTerms.term')}</th>
            <th scope="col">{t('refSets.appliesTo')}</th>
            <th scope="col" class="num">{t('refSets.min')}</th>
            <th scope="col" class="num">{t('refSets.max')}</th>
            <th scope="col">{t('refSets.note')}</th>
          </tr>
        </thead>
        <tbody>
          {set.ranges.map((r) => (
            <tr>
              <th scope="row">{t(k(`term.${r.term}`))}</th>
              <td>{r.appliesTo ?? '–'}</td>
              <td class="num">{r.min == null ? '–' : unitText(i, UNIT_OF[r.term], r.min)}</td>
              <td class="num">{r.max == null ? '–' : unitText(i, UNIT_OF[r.term], r.max)}</td>
              <td class="small">{r.note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** How a bound of each unit is typed: percentages and amounts with decimals, counts whole. */
const NUMBER_KIND: Record<TermUnit, NumberKind> = { basisPoints: 'percent', months: 'whole', days: 'whole', euroCents: 'amount' };
const UNIT_SUFFIX = { basisPoints: 'refSets.unit.percent', months: 'refSets.unit.months', days: 'refSets.unit.days', euroCents: 'refSets.unit.euros' } as const;

/** Creates or edits one of the office's sets; nothing is saved while a field has a problem. */
function SetEditor(props: { form: SetForm; takenIds: string[]; onCancel: () => void; onSaved: (set: ReferenceSet) => void }) {
  const i = useI18n();
  const { t } = i;
  const [form, setForm] = useState<SetForm>(props.form);
  const [problems, setProblems] = useState<Problems>({});
  const [error, setError] = useState<unknown>(null);
  const patch = (p: Partial<SetForm>) => setForm({ ...form, ...p });
  const setRange = (n: number, p: Partial<RangeRow>) => patch({ ranges: form.ranges.map((r, j) => (j === n ? { ...r, ...p } : r)) });
  const editing = props.form.id !== '';

  const save = async () => {
    setError(null);
    const out = setOfForm(form, i.lang, props.takenIds);
    if ('problems' in out) {
      setProblems(out.problems);
      return;
    }
    setProblems({});
    try {
      props.onSaved(await termsApi.saveReferenceSet(out.set));
    } catch (e) {
      setError(e);
    }
  };

  const field = (id: string, label: string, value: string, onInput: (v: string) => void, opts: { placeholder?: string; hint?: string; wide?: boolean } = {}) => {
    const problem = problems[id];
    return (
      <div class={`field sandbox-field ${problem ? 'field-invalid' : ''} ${opts.wide ? 'wide' : ''}`}>
        <label for={id}>{label}</label>
        <input
          id={id}
          value={value}
          placeholder={opts.placeholder}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
          onInput={(e) => onInput((e.target as HTMLInputElement).value)}
        />
        {problem ? (
          <p class="field-error" id={`${id}-error`} role="alert">
            {problemText(t, label, problem)}
          </p>
        ) : (
          opts.hint && <p class="field-hint">{opts.hint}</p>
        )}
      </div>
    );
  };
  const bound = (n: number, which: 'min' | 'max', row: RangeRow) => {
    const id = `range-${n}-${which}`;
    const label = `${t(k(`refSets.${which}`))} (${t(UNIT_SUFFIX[UNIT_OF[row.term]])})`;
    const problem = problems[id];
    return (
      <td class={problem ? 'field-invalid' : undefined}>
        <span class="bound">
          <NumberInput
            id={id}
            class="bound-input"
            kind={NUMBER_KIND[UNIT_OF[row.term]]}
            label={`${t(k(`term.${row.term}`))}: ${label}`}
            invalid={!!problem}
            text={row[which]}
            onText={(v) => setRange(n, { [which]: v })}
          />
          <span class="muted small">{t(UNIT_SUFFIX[UNIT_OF[row.term]])}</span>
        </span>
        {problem && (
          <p class="field-error" id={`${id}-error`} role="alert">
            {problemText(t, `${t(k(`term.${row.term}`))} – ${t(k(`refSets.${which}`))}`, problem)}
          </p>
        )}
      </td>
    );
  };
  const invalid = Object.keys(problems).length > 0;

  return (
    <div class="card ref-sets" id="set-editor">
      <h2 id="set-editor-title">{editing ? t('refSets.editTitle', { name: props.form.name }) : t('refSets.newTitle')}</h2>
      <p class="muted small">{t('refSets.editorIntro')}</p>
      <div class="terms-grid set-header-grid">
        {field('set-name', t('refSets.name'), form.name, (v) => patch({ name: v }))}
        {field('set-source', t('refSets.source'), form.source, (v) => patch({ source: v }), { wide: true, hint: t('refSets.sourceHint') })}
        {field('set-date', t('refSets.date'), form.sourceDate, (v) => patch({ sourceDate: v }), { placeholder: 'YYYY-MM', hint: t('refSets.dateHint') })}
      </div>
      <div class="field sandbox-field">
        <label for="set-notes">{t('refSets.notes')}</label>
        <textarea id="set-notes" rows={3} value={form.notes} onInput={(e) => patch({ notes: (e.target as HTMLTextAreaElement).value })} />
      </div>
      <h3>{t('refSets.ranges')}</h3>
      <p class="muted small">{t('refSets.rangesIntro')}</p>
      <table class="simple-table range-table" id="set-ranges">
        <thead>
          <tr>
            <th scope="col">{t('spinTerms.term')}</th>
            <th scope="col">{t('refSets.appliesTo')}</th>
            <th scope="col">{t('refSets.min')}</th>
            <th scope="col">{t('refSets.max')}</th>
            <th scope="col">{t('refSets.note')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('spinTerms.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {form.ranges.map((row, n) => (
            <tr id={`range-${n}`}>
              <td>
                <select id={`range-${n}-term`} aria-label={t('spinTerms.term')} value={row.term} onChange={(e) => setRange(n, { term: (e.target as HTMLSelectElement).value as TermKey })}>
                  {TERM_KEYS.map((key) => (
                    <option value={key}>{t(k(`term.${key}`))}</option>
                  ))}
                </select>
              </td>
              <td>
                <input id={`range-${n}-applies`} aria-label={t('refSets.appliesTo')} value={row.appliesTo} onInput={(e) => setRange(n, { appliesTo: (e.target as HTMLInputElement).value })} />
              </td>
              {bound(n, 'min', row)}
              {bound(n, 'max', row)}
              <td>
                <input id={`range-${n}-note`} aria-label={t('refSets.note')} value={row.note} onInput={(e) => setRange(n, { note: (e.target as HTMLInputElement).value })} />
              </td>
              <td>
                <button type="button" class="button button-quiet" id={`range-${n}-remove`} onClick={() => patch({ ranges: form.ranges.filter((_, j) => j !== n) })}>
                  {t('spinTerms.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="button" id="range-add" onClick={() => patch({ ranges: [...form.ranges, { term: 'universityEquity', appliesTo: '', min: '', max: '', note: '' }] })}>
        {t('refSets.addRange')}
      </button>
      {invalid && (
        <div class="banner banner-error" role="alert" id="set-invalid">
          {t('termsForm.notSaved')}
        </div>
      )}
      <ErrorBanner error={error} />
      <div class="form-actions">
        <button type="button" class="button button-primary" id="set-save" onClick={save}>
          {t('common.save')}
        </button>
        <button type="button" class="button button-quiet" id="set-cancel" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
