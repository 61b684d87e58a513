// A spin-off's deal terms: edit and save them with the spin-off's cap table (holders and
// funding rounds), check them against a reference set term by term (shipped or the
// office's own), and export a term-sheet PDF and the cap table in the Open Cap Format.
import { useEffect, useState } from 'preact/hooks';
import {
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
import { CapTableEditor } from './CapTableEditor';
import { capFormOf, isEmptyCapForm, planOfForm, type CapForm, type Problems } from './termsForms';
import './learn.css';

const k = (key: string) => key as MessageKey;
const FORMS: DealForm[] = ['equity', 'royalty', 'hybrid'];
const BASES: RoyaltyBase[] = ['netSales', 'grossSales', 'grossProfit', 'totalRevenue'];
const ANTI: AntiDilution[] = ['none', 'broadBasedWeightedAverage', 'fullRatchet'];
const PATENT: ('notReimbursed' | 'allCosts' | 'fixedAmount')[] = ['notReimbursed', 'allCosts', 'fixedAmount'];

/** Percent text ↔ basis points; empty means open. */
const toBp = (v: string) => (v.trim() === '' ? null : Math.round(Number(v.replace(',', '.')) * 100));
const fromBp = (v: number | null | undefined) => (v == null ? '' : String(v / 100));
const toEuroCents = (v: string) => (v.trim() === '' ? null : Math.round(Number(v.replace(',', '.')) * 100));
const fromCents = (v: number | null | undefined) => (v == null ? '' : String(v / 100));
const toInt = (v: string) => (v.trim() === '' ? null : Math.round(Number(v)));

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

export function SpinOffTerms(props: { spinOffId: string; onSaved?: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [stored, setStored] = useState<Stored | null>(null);
  const [terms, setTerms] = useState<DealTerms>({ milestones: [] });
  const [sets, setSets] = useState<ReferenceSetEntry[]>([]);
  const [setId, setSetId] = useState<string>('');
  const [checks, setChecks] = useState<TermCheck[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [capForm, setCapForm] = useState<CapForm>({ holders: [], rounds: [] });
  const [capProblems, setCapProblems] = useState<Problems>({});
  const [invalid, setInvalid] = useState(false);

  useEffect(() => {
    termsApi
      .getSpinOffTerms(props.spinOffId)
      .then((s) => {
        setStored(s);
        setTerms({ ...s.terms, milestones: s.terms.milestones ?? [] });
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
  }, [props.spinOffId]);

  if (!stored) return <section class="card terms-panel">{error ? <ErrorBanner error={error} /> : <p class="muted">{t('common.loading')}</p>}</section>;

  const patch = (p: Partial<DealTerms>) => {
    setTerms({ ...terms, ...p });
    setChecks(null);
  };
  /** Saves terms, cap table and chosen set; nothing is saved while the cap table has problems. */
  const persist = async (): Promise<boolean> => {
    setError(null);
    setNotice(null);
    const cap = isEmptyCapForm(capForm) ? { plan: null } : planOfForm(capForm, i.lang);
    if ('problems' in cap) {
      setCapProblems(cap.problems);
      setInvalid(true);
      return false;
    }
    setCapProblems({});
    setInvalid(false);
    try {
      const saved = await termsApi.saveSpinOffTerms({ ...stored, terms, capTable: cap.plan, referenceSetId: setId || null });
      setStored(saved);
      setCapForm(capFormOf(saved.capTable, i.lang));
      props.onSaved?.();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  const save = async () => {
    if (await persist()) setNotice(t('spinTerms.saved'));
  };
  const runCheck = async () => {
    setError(null);
    try {
      setChecks(await termsApi.checkTerms(terms, setId));
    } catch (e) {
      setError(e);
    }
  };
  const exportFile = async (kind: 'pdf' | 'ocf') => {
    if (!(await persist())) return;
    try {
      const out = kind === 'pdf' ? await termsApi.exportTermSheetPdf(props.spinOffId) : await termsApi.exportCapTableOcf(props.spinOffId);
      setNotice(t('spinTerms.exported', { path: out.path }));
    } catch (e) {
      setError(e);
    }
  };
  const text = (id: string, label: string, value: string, onInput: (v: string) => void) => (
    <label class="field sandbox-field">
      <span>{label}</span>
      <input id={id} inputMode="decimal" value={value} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
    </label>
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
        {text('terms-equity', t('spinTerms.equityPct'), fromBp(terms.universityEquityBp), (v) => patch({ universityEquityBp: toBp(v) }))}
        {text('terms-royalty', t('spinTerms.royaltyPct'), fromBp(terms.royaltyRateBp), (v) => patch({ royaltyRateBp: toBp(v) }))}
        {choice('terms-base', t('spinTerms.royaltyBase'), terms.royaltyBase, BASES, 'royaltyBase', (v) => patch({ royaltyBase: v }))}
        {text('terms-free', t('spinTerms.freeMonths'), terms.royaltyFreeMonths?.toString() ?? '', (v) => patch({ royaltyFreeMonths: toInt(v) }))}
        {text('terms-sublicence', t('spinTerms.sublicencePct'), fromBp(terms.sublicenceShareBp), (v) => patch({ sublicenceShareBp: toBp(v) }))}
        {text('terms-exit-fee', t('spinTerms.exitFeePct'), fromBp(terms.exitFeeBp), (v) => patch({ exitFeeBp: toBp(v) }))}
        {choice('terms-anti', t('spinTerms.antiDilution'), terms.antiDilution, ANTI, 'antiDilution', (v) => patch({ antiDilution: v }))}
        {text('terms-minimum', t('spinTerms.minimum'), fromCents(terms.minimumAnnualPayment?.amount), (v) => {
          const amount = toEuroCents(v);
          patch({ minimumAnnualPayment: amount == null ? null : { amount, fromContractYear: terms.minimumAnnualPayment?.fromContractYear ?? 1 } });
        })}
        {terms.minimumAnnualPayment &&
          text('terms-minimum-from', t('spinTerms.minimumFrom'), String(terms.minimumAnnualPayment.fromContractYear), (v) =>
            patch({ minimumAnnualPayment: { amount: terms.minimumAnnualPayment?.amount ?? 0, fromContractYear: toInt(v) ?? 1 } }),
          )}
        {choice('terms-patent', t('spinTerms.patentCosts'), pc?.kind, PATENT, 'patentCosts', (v) =>
          patch({ patentCosts: v == null ? null : v === 'fixedAmount' ? { kind: 'fixedAmount', amount: 0 } : { kind: v } }),
        )}
        {pc?.kind === 'fixedAmount' &&
          text('terms-patent-amount', t('spinTerms.patentAmount'), fromCents(pc.amount), (v) => patch({ patentCosts: { kind: 'fixedAmount', amount: toEuroCents(v) ?? 0 } }))}
        {text('terms-days', t('spinTerms.days'), terms.daysToSigning?.toString() ?? '', (v) => patch({ daysToSigning: toInt(v) }))}
      </div>
      <h3>{t('spinTerms.milestones')}</h3>
      {terms.milestones.map((m, n) => (
        <div class="milestone-row">
          {text(`milestone-${n}-text`, t('spinTerms.milestone'), m.description, (v) =>
            patch({ milestones: terms.milestones.map((x, j) => (j === n ? { ...x, description: v } : x)) }),
          )}
          {text(`milestone-${n}-amount`, t('spinTerms.amount'), fromCents(m.amount), (v) =>
            patch({ milestones: terms.milestones.map((x, j) => (j === n ? { ...x, amount: toEuroCents(v) ?? 0 } : x)) }),
          )}
          <label class="field sandbox-field">
            <span>{t('spinTerms.due')}</span>
            <input
              type="date"
              value={m.due ?? ''}
              onInput={(e) => {
                const v = (e.target as HTMLInputElement).value;
                patch({ milestones: terms.milestones.map((x, j) => (j === n ? { ...x, due: v || null } : x)) });
              }}
            />
          </label>
          <button type="button" class="button button-quiet" onClick={() => patch({ milestones: terms.milestones.filter((_, j) => j !== n) })}>
            {t('spinTerms.remove')}
          </button>
        </div>
      ))}
      <button type="button" class="button" id="add-milestone" onClick={() => patch({ milestones: [...terms.milestones, { description: '', amount: 0, due: null }] })}>
        {t('spinTerms.addMilestone')}
      </button>
      <CapTableEditor
        form={capForm}
        problems={capProblems}
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
