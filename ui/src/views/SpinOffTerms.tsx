// A spin-off's deal terms: edit and save them with the spin-off's cap table (holders and
// funding rounds), check them against a reference set term by term (shipped or the
// office's own), and export a term-sheet PDF and the cap table in the Open Cap Format.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  termsApi,
  type AntiDilution,
  type DealForm,
  type DealTerms,
  type ReferenceSetEntry,
  type RoyaltyBase,
  type SpinOffTerms as Stored,
  type TermCheck,
  type TermUnit,
} from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { OpenWritten } from '../components/OpenWritten';
import { NumberInput } from '../components/NumberInput';
import type { NumberKind } from '../lib/parse';
import { CapTableEditor, problemText } from './CapTableEditor';
import {
  capFormOf,
  dealTermsOfTexts,
  dealTermsTexts,
  isEmptyCapForm,
  planOfForm,
  roundsOfRecords,
  type CapForm,
  type RoundRow,
  type DealTermsTexts,
  type Problems,
} from '../lib/termsForms';
import './learn.css';

const k = (key: string) => key as MessageKey;
const FORMS: DealForm[] = ['equity', 'royalty', 'hybrid'];
const BASES: RoyaltyBase[] = ['netSales', 'grossSales', 'grossProfit', 'totalRevenue'];
const ANTI: AntiDilution[] = ['none', 'broadBasedWeightedAverage', 'fullRatchet'];
const PATENT: ('notReimbursed' | 'allCosts' | 'fixedAmount')[] = ['notReimbursed', 'allCosts', 'fixedAmount'];


export function unitText(i: I18n, unit: TermUnit, v: number | null): string {
  if (v == null) return '…';
  switch (unit) {
    case 'basisPoints':
      return i.percentBp(v);
    case 'months':
      return i.t('unit.months', { n: v });
    case 'days':
      return i.t('unit.days', { n: v });
    case 'euroCents':
      return i.euros(v);
  }
}

export function SpinOffTerms(props: {
  spinOffId: string;
  /** The deal form on the spin-off's record: the terms start from it while they name none. */
  recordDealForm?: DealForm | undefined;
  onSaved?: () => void;
}) {
  const i = useI18n();
  const { t } = i;
  const [stored, setStored] = useState<Stored | null>(null);
  const [terms, setTerms] = useState<DealTerms>({ milestones: [] });
  const [texts, setTexts] = useState<DealTermsTexts>(() => dealTermsTexts({ milestones: [] }, i.lang));
  const [termProblems, setTermProblems] = useState<Problems>({});
  const [sets, setSets] = useState<ReferenceSetEntry[]>([]);
  const [setId, setSetId] = useState<string>('');
  const [checks, setChecks] = useState<TermCheck[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const [capForm, setCapForm] = useState<CapForm>({ holders: [], rounds: [] });
  const [capProblems, setCapProblems] = useState<Problems>({});
  const [invalid, setInvalid] = useState(false);
  const [recordedRounds, setRecordedRounds] = useState<RoundRow[]>([]);

  useEffect(() => {
    termsApi
      .getSpinOffTerms(props.spinOffId)
      .then((s) => {
        setStored(s);
        setTerms({ ...s.terms, form: s.terms.form ?? props.recordDealForm ?? null, milestones: s.terms.milestones ?? [] });
        setTexts(dealTermsTexts(s.terms, i.lang));
        setCapForm(capFormOf(s.capTable, i.lang));
        if (s.referenceSetId) setSetId(s.referenceSetId);
      })
      .catch(setError);
    termsApi
      .listReferenceSets()
      .then((list) => {
        setSets(list);
        setSetId((current) => current || list[0]?.set.id || '');
      })
      .catch(setError);
    // The rounds recorded on the spin-off, offered to the cap table.
    api
      .getLinks('spinOff', props.spinOffId)
      .then((links) => Promise.all(links.incoming.filter((l) => l.kind === 'fundingRound').map((l) => api.getRecord('fundingRound', l.id))))
      .then((records) => setRecordedRounds(roundsOfRecords(records, i.lang, t('capTable.investors'))))
      .catch(setError);
  }, [props.spinOffId]);

  // A switch of language rewrites the typed numbers in the new language's format, so that
  // `2,000,000` typed in English is not misread as 2 in Dutch.
  const typedIn = useRef(i.lang);
  useEffect(() => {
    const before = typedIn.current;
    typedIn.current = i.lang;
    if (before === i.lang) return;
    const termsRead = dealTermsOfTexts(terms, texts, before);
    if ('terms' in termsRead) setTexts(dealTermsTexts(termsRead.terms, i.lang));
    const capRead = isEmptyCapForm(capForm) ? null : planOfForm(capForm, before);
    if (capRead && 'plan' in capRead) setCapForm(capFormOf(capRead.plan, i.lang));
  }, [i.lang]);

  if (!stored) return <section class="card terms-panel">{error ? <ErrorBanner error={error} /> : <p class="muted">{t('common.loading')}</p>}</section>;

  const patch = (p: Partial<DealTerms>) => {
    setTerms({ ...terms, ...p });
    setChecks(null);
  };
  const setText = (p: Partial<DealTermsTexts>) => {
    setTexts({ ...texts, ...p });
    setChecks(null);
  };
  /** The terms with the typed numbers read in; every problem of the form is shown at once. */
  const readTerms = (): DealTerms | null => {
    const r = dealTermsOfTexts(terms, texts, i.lang);
    setTermProblems('problems' in r ? r.problems : {});
    return 'problems' in r ? null : r.terms;
  };
  /** Saves terms, cap table and chosen set; nothing is saved while any field has a problem. */
  const persist = async (): Promise<boolean> => {
    setError(null);
    setNotice(null);
    setWritten(null);
    const parsed = readTerms();
    const cap = isEmptyCapForm(capForm) ? { plan: null } : planOfForm(capForm, i.lang);
    setCapProblems('problems' in cap ? cap.problems : {});
    if ('problems' in cap || parsed === null) {
      setInvalid(true);
      return false;
    }
    setInvalid(false);
    try {
      const saved = await termsApi.saveSpinOffTerms({ ...stored, terms: parsed, capTable: cap.plan, referenceSetId: setId || null });
      setStored(saved);
      setTerms({ ...saved.terms, milestones: saved.terms.milestones ?? [] });
      setTexts(dealTermsTexts(saved.terms, i.lang));
      setCapForm(capFormOf(saved.capTable, i.lang));
      props.onSaved?.();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  const save = async () => {
    if (await persist()) {
      setNotice(t('spinTerms.saved'));
      setWritten(null);
    }
  };
  const runCheck = async () => {
    setError(null);
    const parsed = readTerms();
    if (parsed === null) return;
    try {
      setChecks(await termsApi.checkTerms(parsed, setId));
    } catch (e) {
      setError(e);
    }
  };
  const exportFile = async (kind: 'pdf' | 'ocf') => {
    if (!(await persist())) return;
    try {
      const out = kind === 'pdf' ? await termsApi.exportTermSheetPdf(props.spinOffId) : await termsApi.exportCapTableOcf(props.spinOffId);
      setNotice(t('spinTerms.exported', { path: out.path }));
      setWritten(out.path);
    } catch (e) {
      setError(e);
    }
  };
  const text = (id: string, label: string, value: string, onInput: (v: string) => void) => (
    <label class="field sandbox-field">
      <span>{label}</span>
      <input id={id} value={value} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </label>
  );
  const number = (id: string, kind: NumberKind, label: string, key: Exclude<keyof DealTermsTexts, 'milestones'>) => (
    <NumberField id={id} kind={kind} label={label} text={texts[key]} problems={termProblems} onText={(v) => setText({ [key]: v })} />
  );
  const choice = <T extends string>(id: string, label: string, value: T | null | undefined, options: T[], prefix: string, onChange: (v: T | null) => void) => (
    <label class="field sandbox-field">
      <span>{label}</span>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(((e.target as HTMLSelectElement).value || null) as T | null)}>
        <option value="">{t('spinTerms.open')}</option>
        {options.map((o) => (
          <option value={o}>{t(k(`${prefix}.${o}`))}</option>
        ))}
      </select>
    </label>
  );
  const pc = terms.patentCosts;
  const setEntry = sets.find((s) => s.set.id === setId);

  return (
    <section class="card terms-panel" id="spin-off-terms" aria-labelledby="terms-title">
      <h2 id="terms-title">{t('spinTerms.title')}</h2>
      <div class="terms-grid">
        {choice('terms-form', t('spinTerms.form'), terms.form, FORMS, 'dealForm', (v) => patch({ form: v }))}
        {number('terms-equity', 'percent', t('spinTerms.equityPct'), 'equity')}
        {number('terms-royalty', 'percent', t('spinTerms.royaltyPct'), 'royalty')}
        {choice('terms-base', t('spinTerms.royaltyBase'), terms.royaltyBase, BASES, 'royaltyBase', (v) => patch({ royaltyBase: v }))}
        {number('terms-free', 'whole', t('spinTerms.freeMonths'), 'freeMonths')}
        {number('terms-sublicence', 'percent', t('spinTerms.sublicencePct'), 'sublicence')}
        {number('terms-exit-fee', 'percent', t('spinTerms.exitFeePct'), 'exitFee')}
        {choice('terms-anti', t('spinTerms.antiDilution'), terms.antiDilution, ANTI, 'antiDilution', (v) => patch({ antiDilution: v }))}
        {number('terms-minimum', 'amount', t('spinTerms.minimum'), 'minimum')}
        {texts.minimum.trim() !== '' && number('terms-minimum-from', 'whole', t('spinTerms.minimumFrom'), 'minimumFrom')}
        {choice('terms-patent', t('spinTerms.patentCosts'), pc?.kind, PATENT, 'patentCosts', (v) =>
          patch({ patentCosts: v == null ? null : v === 'fixedAmount' ? { kind: 'fixedAmount', amount: 0 } : { kind: v } }),
        )}
        {pc?.kind === 'fixedAmount' && number('terms-patent-amount', 'amount', t('spinTerms.patentAmount'), 'patentAmount')}
        {number('terms-days', 'whole', t('spinTerms.days'), 'days')}
      </div>
      <h3>{t('spinTerms.milestones')}</h3>
      {texts.milestones.map((m, n) => {
        const setMilestone = (p: Partial<(typeof texts.milestones)[number]>) => setText({ milestones: texts.milestones.map((x, j) => (j === n ? { ...x, ...p } : x)) });
        return (
          <div class="milestone-row">
            {text(`milestone-${n}-text`, t('spinTerms.milestone'), m.description, (v) => setMilestone({ description: v }))}
            <NumberField
              id={`milestone-${n}-amount`}
              kind="amount"
              label={t('spinTerms.amount')}
              text={m.amount}
              problems={termProblems}
              onText={(v) => setMilestone({ amount: v })}
            />
            <label class={`field sandbox-field ${termProblems[`milestone-${n}-due`] ? 'field-invalid' : ''}`}>
              <span>{t('spinTerms.due')}</span>
              <input
                id={`milestone-${n}-due`}
                inputMode="numeric"
                placeholder={t('form.datePlaceholder')}
                value={m.due}
                onInput={(e) => setMilestone({ due: (e.target as HTMLInputElement).value })}
              />
              {termProblems[`milestone-${n}-due`] && (
                <p class="field-error" id={`milestone-${n}-due-error`} role="alert">
                  {problemText(t, t('spinTerms.due'), termProblems[`milestone-${n}-due`]!)}
                </p>
              )}
            </label>
            <button type="button" class="button button-quiet" onClick={() => setText({ milestones: texts.milestones.filter((_, j) => j !== n) })}>
              {t('spinTerms.remove')}
            </button>
          </div>
        );
      })}
      <button type="button" class="button" id="add-milestone" onClick={() => setText({ milestones: [...texts.milestones, { description: '', amount: '', due: '' }] })}>
        {t('spinTerms.addMilestone')}
      </button>
      <CapTableEditor
        form={capForm}
        problems={capProblems}
        recordedRounds={recordedRounds}
        onChange={(f) => {
          setCapForm(f);
          setNotice(null);
        }}
      />
      <div class="form-actions">
        <button type="button" class="button button-primary" id="terms-save" onClick={save}>
          {t('common.save')}
        </button>
        <button type="button" class="button" id="terms-pdf" onClick={() => exportFile('pdf')}>
          {t('spinTerms.exportPdf')}
        </button>
        <button
          type="button"
          class="button"
          id="terms-ocf"
          disabled={isEmptyCapForm(capForm)}
          title={isEmptyCapForm(capForm) ? t('spinTerms.noCapTable') : undefined}
          onClick={() => exportFile('ocf')}
        >
          {t('spinTerms.exportOcf')}
        </button>
      </div>
      {invalid && (
        <div class="banner banner-error" role="alert" id="terms-invalid">
          {t('termsForm.notSaved')}
        </div>
      )}
      <ErrorBanner error={error} />
      {notice && (
        <div class="banner banner-ok" role="status" id="terms-notice">
          {notice}
          {written && <OpenWritten path={written} />}
        </div>
      )}

      <h3>{t('spinTerms.check')}</h3>
      <div class="toolbar">
        <label class="field sandbox-field">
          <span>{t('spinTerms.set')}</span>
          <select
            id="terms-set"
            value={setId}
            onChange={(e) => {
              setSetId((e.target as HTMLSelectElement).value);
              setChecks(null);
            }}
          >
            <optgroup label={t('refSets.builtIn')}>
              {sets
                .filter((s) => s.shipped)
                .map((s) => (
                  <option value={s.set.id}>{s.set.name}</option>
                ))}
            </optgroup>
            {sets.some((s) => !s.shipped) && (
              <optgroup label={t('refSets.own')}>
                {sets
                  .filter((s) => !s.shipped)
                  .map((s) => (
                    <option value={s.set.id}>{s.set.name}</option>
                  ))}
              </optgroup>
            )}
          </select>
        </label>
        <button type="button" class="button" id="terms-check" onClick={runCheck} disabled={!setId}>
          {t('spinTerms.runCheck')}
        </button>
      </div>
      {setEntry && <p class="muted small">{t('spinTerms.source', { source: `${setEntry.set.source}${setEntry.set.sourceDate ? ` (${setEntry.set.sourceDate})` : ''}` })}</p>}
      {checks && (
        <table class="simple-table" id="terms-checks">
          <thead>
            <tr>
              <th scope="col">{t('spinTerms.term')}</th>
              <th scope="col">{t('spinTerms.value')}</th>
              <th scope="col">{t('spinTerms.verdict')}</th>
              <th scope="col">{t('spinTerms.range')}</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((c) => (
              <tr id={`check-${c.term}`} class={`check-row-${c.status}`}>
                <th scope="row">{t(k(`term.${c.term}`))}</th>
                <td>{unitText(i, c.reason.unit, c.reason.value)}</td>
                <td class={`check-${c.status}`}>{t(k(`status.${c.status}`))}</td>
                <td>
                  {t(k(`reason.${c.reason.code}`), { min: unitText(i, c.reason.unit, c.reason.min), max: unitText(i, c.reason.unit, c.reason.max) })}
                  {c.appliesTo && <span class="muted small"> · {c.appliesTo}</span>}
                  {c.note && <span class="muted small"> · {c.note}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A labelled number field of the terms, with its problem beneath it. */
function NumberField(props: { id: string; kind: NumberKind; label: string; text: string; problems: Problems; onText: (v: string) => void }) {
  const { t } = useI18n();
  const problem = props.problems[props.id];
  return (
    <label class={`field sandbox-field ${problem ? 'field-invalid' : ''}`}>
      <span>{props.label}</span>
      <NumberInput id={props.id} kind={props.kind} text={props.text} invalid={!!problem} onText={props.onText} />
      {problem && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {problemText(t, props.label, problem)}
        </p>
      )}
    </label>
  );
}
