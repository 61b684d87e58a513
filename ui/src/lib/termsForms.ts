// What a user types into the reference-set editor and the cap-table editor, turned into the
// Rust shapes (ReferenceSet, CapTablePlan) or into problems keyed by the id of the field
// they belong to, so each message is shown next to its field. Nothing here calls the
// backend; the backend validates again before it writes.
import type {
  AntiDilution,
  CapTablePlan,
  DealTerms,
  StoredRecord,
  Holder,
  HolderKind,
  Investment,
  Milestone,
  PoolTopUp,
  PreferenceTerms,
  ReferenceSet,
  Round,
  TermKey,
  TermRange,
  TermUnit,
} from '../api';
import type { Lang } from '../i18n';
import { formatAmountInput, formatDateInput, formatPercentInput, parseAmountCents, parseDate } from './parse';

/** A 1× non-participating preference of the lowest rank: what a round carries unless its terms say more. */
export const PLAIN_PREFERENCE: PreferenceTerms = { multipleBp: 10_000, participation: { kind: 'nonParticipating' }, seniority: 0 };

/** One investor's money in a round, with the usual weighted-average base and unrounded conversion prices. */
export function investment(investor: string, amount: number, antiDilution: AntiDilution): Investment {
  return { investor, amount, antiDilution, weightedAverageBase: 'fullyDiluted', roundConversionPrice: false };
}

/** A top-up of the option pool to `targetBp` of the post-money, inside the pre-money. */
export function poolTopUp(pool: string, targetBp: number): PoolTopUp {
  return { pool, targetBp, timing: 'preMoney' };
}

/** A problem with one field: a message key under `termsForm.err.` and its parameters. */
export interface Problem {
  code:
    | 'required'
    | 'notPercent'
    | 'percentRange'
    | 'notWhole'
    | 'negative'
    | 'notAmount'
    | 'minAboveMax'
    | 'badPartialDate'
    | 'badDate'
    | 'sharesWhole'
    | 'sharesPositive'
    | 'tooLarge'
    | 'duplicateName'
    | 'noShares'
    | 'positiveAmount'
    | 'noPool'
    | 'noInvestor'
    | 'duplicateRound';
  params?: Record<string, string | number>;
}
/** Problems by field id (the id of the input the message belongs next to). */
export type Problems = Record<string, Problem>;

export const TERM_KEYS: TermKey[] = [
  'universityEquity',
  'royaltyRate',
  'royaltyFreePeriod',
  'sublicenceIncomeShare',
  'exitFee',
  'minimumAnnualPayment',
  'daysToSigning',
];

/** The unit of each term's values and bounds, as `TermKey::unit` in kto-core. */
export const UNIT_OF: Record<TermKey, TermUnit> = {
  universityEquity: 'basisPoints',
  royaltyRate: 'basisPoints',
  royaltyFreePeriod: 'months',
  sublicenceIncomeShare: 'basisPoints',
  exitFee: 'basisPoints',
  minimumAnnualPayment: 'euroCents',
  daysToSigning: 'days',
};

/** The longest id the store accepts for an office set. */
const MAX_ID = 80;

/** Lowercase letters and digits joined by single hyphens; `fallback` when nothing is left. */
export function slugOf(text: string, fallback: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? fallback : s;
}

/** `base`, or `base-2`, `base-3`, … whichever is not taken yet. */
function unique(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

// ---------------------------------------------------------------------------------------
// Reference sets

export interface RangeRow {
  term: TermKey;
  appliesTo: string;
  min: string;
  max: string;
  note: string;
  /** Where in the source the range stands; kept as it was when the set is edited. */
  section?: string;
}

export interface SetForm {
  /** Empty for a set not saved yet; the id is then made from the name. */
  id: string;
  name: string;
  source: string;
  sourceDate: string;
  /** One note per line. */
  notes: string;
  ranges: RangeRow[];
}

/** A bound as the text of its field, in the term's unit as the user sees it. */
export function boundText(unit: TermUnit, value: number | null | undefined, lang: Lang): string {
  if (value == null) return '';
  switch (unit) {
    case 'basisPoints':
      return formatPercentInput(value, lang);
    case 'euroCents':
      return formatAmountInput(value, lang);
    case 'months':
    case 'days':
      return String(value);
  }
}

/** A typed bound in the term's unit: `null` when empty, else the value or the problem. */
export function parseBound(unit: TermUnit, text: string, lang: Lang): { value: number | null } | { problem: Problem } {
  const s = text.trim();
  if (s === '') return { value: null };
  switch (unit) {
    case 'basisPoints': {
      const m = /^(-?)(\d+)(?:[.,](\d{1,2}))?\s*%?$/.exec(s);
      if (!m) return { problem: { code: 'notPercent' } };
      const bp = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
      if ((m[1] === '-' && bp > 0) || bp > 10_000) return { problem: { code: 'percentRange' } };
      return { value: bp };
    }
    case 'months':
    case 'days': {
      if (!/^-?\d+$/.test(s)) return { problem: { code: 'notWhole' } };
      const n = Number(s);
      if (n < 0) return { problem: { code: 'negative' } };
      if (!Number.isSafeInteger(n)) return { problem: { code: 'tooLarge' } };
      return { value: n };
    }
    case 'euroCents': {
      if (s.startsWith('-')) return { problem: { code: 'negative' } };
      const cents = parseAmountCents(s, lang);
      if (cents === null || Number.isNaN(cents)) return { problem: { code: 'notAmount' } };
      if (!Number.isSafeInteger(cents)) return { problem: { code: 'tooLarge' } };
      return { value: cents };
    }
  }
}

export function emptySetForm(): SetForm {
  return { id: '', name: '', source: '', sourceDate: '', notes: '', ranges: [{ term: 'universityEquity', appliesTo: '', min: '', max: '', note: '' }] };
}

/** The form of a stored set (to edit it). */
export function setFormOf(set: ReferenceSet, lang: Lang): SetForm {
  return {
    id: set.id,
    name: set.name,
    source: set.source,
    sourceDate: set.sourceDate ?? '',
    notes: set.notes.join('\n'),
    ranges: set.ranges.map((r) => ({
      term: r.term,
      appliesTo: r.appliesTo ?? '',
      min: boundText(UNIT_OF[r.term], r.min, lang),
      max: boundText(UNIT_OF[r.term], r.max, lang),
      note: r.note,
      section: r.section,
    })),
  };
}

/** A new set that starts as a copy of `set` under `name`; it gets its own id when saved. */
export function copySetForm(set: ReferenceSet, name: string, lang: Lang): SetForm {
  return { ...setFormOf(set, lang), id: '', name };
}

const PARTIAL_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

function isPartialDate(text: string): boolean {
  if (!PARTIAL_DATE.test(text)) return false;
  const [y, m = '01', d = '01'] = text.split('-');
  return parseDate(`${y}-${m}-${d}`) !== null;
}

/**
 * The set the form describes, or the problems found. A new set's id is `office-` and the
 * name as a slug, made unique against `takenIds` (every set listed, shipped or the office's).
 */
export function setOfForm(form: SetForm, lang: Lang, takenIds: string[]): { set: ReferenceSet } | { problems: Problems } {
  const problems: Problems = {};
  const name = form.name.trim();
  const source = form.source.trim();
  const sourceDate = form.sourceDate.trim();
  if (name === '') problems['set-name'] = { code: 'required' };
  if (source === '') problems['set-source'] = { code: 'required' };
  if (sourceDate !== '' && !isPartialDate(sourceDate)) problems['set-date'] = { code: 'badPartialDate' };
  const ranges: TermRange[] = [];
  form.ranges.forEach((row, i) => {
    const unit = UNIT_OF[row.term];
    const min = parseBound(unit, row.min, lang);
    const max = parseBound(unit, row.max, lang);
    if ('problem' in min) problems[`range-${i}-min`] = min.problem;
    if ('problem' in max) problems[`range-${i}-max`] = max.problem;
    if ('value' in min && 'value' in max) {
      if (min.value !== null && max.value !== null && min.value > max.value) {
        problems[`range-${i}-max`] = { code: 'minAboveMax' };
      }
      ranges.push({ term: row.term, appliesTo: row.appliesTo.trim() || null, min: min.value, max: max.value, note: row.note.trim(), section: row.section ?? '' });
    }
  });
  if (Object.keys(problems).length > 0) return { problems };
  const id = form.id || unique(`office-${slugOf(name, 'set').slice(0, MAX_ID - 16)}`, new Set(takenIds));
  const notes = form.notes
    .split('\n')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return { set: { id, name, source, sourceDate: sourceDate || null, notes, ranges } };
}

// ---------------------------------------------------------------------------------------
// Cap table

export interface HolderRow {
  /** Empty for a holder not saved yet; the id is then made from the name. */
  id: string;
  name: string;
  kind: HolderKind;
  shares: string;
}

export interface InvestmentRow {
  /** The investor's name: an existing holder of that name invests again, any other name joins the table. */
  investor: string;
  amount: string;
}

export interface RoundRow {
  name: string;
  date: string;
  preMoney: string;
  /** Pool top-up target in % of the post-money; empty for none. */
  poolTarget: string;
  antiDilution: AntiDilution;
  investments: InvestmentRow[];
}

export interface CapForm {
  holders: HolderRow[];
  rounds: RoundRow[];
}

export const HOLDER_KINDS: HolderKind[] = ['founder', 'university', 'optionPool', 'investor'];

/** The form of a stored plan; an empty form when there is none. */
export function capFormOf(plan: CapTablePlan | null | undefined, lang: Lang): CapForm {
  if (!plan) return { holders: [], rounds: [] };
  const names = new Map<string, string>();
  for (const a of plan.founding) names.set(a.holder.id, a.holder.name);
  for (const r of plan.rounds) for (const h of r.newHolders ?? []) names.set(h.id, h.name);
  return {
    holders: plan.founding.map((a) => ({ id: a.holder.id, name: a.holder.name, kind: a.holder.kind, shares: String(a.shares) })),
    rounds: plan.rounds.map((r) => ({
      name: r.name,
      date: formatDateInput(r.date ?? null, lang),
      preMoney: formatAmountInput(r.preMoney, lang),
      poolTarget: r.poolTopUp ? formatPercentInput(r.poolTopUp.targetBp, lang) : '',
      antiDilution: r.investments[0]?.antiDilution ?? 'none',
      investments: r.investments.map((i) => ({ investor: names.get(i.investor) ?? i.investor, amount: formatAmountInput(i.amount, lang) })),
    })),
  };
}

/** True when the form holds nothing to save. */
export function isEmptyCapForm(form: CapForm): boolean {
  return form.holders.length === 0 && form.rounds.length === 0;
}

/** Whole shares as typed: digits, optionally grouped by `.`, `,` or spaces per thousand. */
function parseShares(text: string): { value: number } | { problem: Problem } {
  const s = text.trim();
  if (s === '') return { problem: { code: 'required' } };
  if (/^-\s*\d/.test(s)) return { problem: { code: 'sharesPositive' } };
  if (!/^\d{1,3}([.,\s]\d{3})*$|^\d+$/.test(s)) return { problem: { code: 'sharesWhole' } };
  const n = Number(s.replace(/[.,\s]/g, ''));
  if (!Number.isSafeInteger(n)) return { problem: { code: 'tooLarge' } };
  return { value: n };
}

/** A positive euro amount as typed. */
function parsePositiveAmount(text: string, lang: Lang): { value: number } | { problem: Problem } {
  const s = text.trim();
  if (s === '') return { problem: { code: 'required' } };
  if (s.startsWith('-')) return { problem: { code: 'positiveAmount' } };
  const cents = parseAmountCents(s, lang);
  if (cents === null || Number.isNaN(cents)) return { problem: { code: 'notAmount' } };
  if (!Number.isSafeInteger(cents)) return { problem: { code: 'tooLarge' } };
  if (cents <= 0) return { problem: { code: 'positiveAmount' } };
  return { value: cents };
}

/**
 * The cap-table plan the form describes, or the problems found (field ids `holder-<n>-name`,
 * `holder-<n>-shares`, `round-<r>-name`, `round-<r>-pre`, `round-<r>-date`, `round-<r>-pool`,
 * `round-<r>-inv-<i>-name`, `round-<r>-inv-<i>-amount`, and `cap-holders` /
 * `round-<r>-investments` for the table or round as a whole).
 */
export function planOfForm(form: CapForm, lang: Lang): { plan: CapTablePlan } | { problems: Problems } {
  const problems: Problems = {};
  const taken = new Set(form.holders.map((h) => h.id).filter((id) => id !== ''));
  const byName = new Map<string, Holder>();
  const founding: CapTablePlan['founding'] = [];
  let total = 0;
  form.holders.forEach((row, n) => {
    const name = row.name.trim();
    const key = name.toLowerCase();
    if (name === '') problems[`holder-${n}-name`] = { code: 'required' };
    else if (byName.has(key)) problems[`holder-${n}-name`] = { code: 'duplicateName' };
    const shares = parseShares(row.shares);
    if ('problem' in shares) problems[`holder-${n}-shares`] = shares.problem;
    else if (shares.value === 0 && row.kind !== 'optionPool') problems[`holder-${n}-shares`] = { code: 'sharesPositive' };
    const id = row.id || unique(slugOf(name, 'holder'), taken);
    taken.add(id);
    const holder: Holder = { id, name, kind: row.kind };
    if (name !== '' && !byName.has(key)) byName.set(key, holder);
    if ('value' in shares) {
      total += shares.value;
      founding.push({ holder, shares: shares.value });
    }
  });
  if (!Number.isSafeInteger(total)) problems['cap-holders'] = { code: 'tooLarge' };
  else if (form.holders.length > 0 || form.rounds.length > 0) {
    if (total === 0 && Object.keys(problems).length === 0) problems['cap-holders'] = { code: 'noShares' };
  }
  const pool = form.holders.find((h) => h.kind === 'optionPool' && h.name.trim() !== '');
  const poolId = pool ? byName.get(pool.name.trim().toLowerCase())?.id : undefined;

  const roundNames = new Set<string>();
  const rounds: Round[] = [];
  form.rounds.forEach((row, r) => {
    const name = row.name.trim();
    if (name === '') problems[`round-${r}-name`] = { code: 'required' };
    else if (roundNames.has(name.toLowerCase())) problems[`round-${r}-name`] = { code: 'duplicateRound' };
    roundNames.add(name.toLowerCase());
    let date: string | null = null;
    if (row.date.trim() !== '') {
      date = parseDate(row.date);
      if (date === null) problems[`round-${r}-date`] = { code: 'badDate' };
    }
    const pre = parsePositiveAmount(row.preMoney, lang);
    if ('problem' in pre) problems[`round-${r}-pre`] = pre.problem;
    let topUp: Round['poolTopUp'] = null;
    const target = parseBound('basisPoints', row.poolTarget, lang);
    if ('problem' in target) problems[`round-${r}-pool`] = target.problem;
    else if (target.value !== null && target.value > 0) {
      if (poolId === undefined) problems[`round-${r}-pool`] = { code: 'noPool' };
      else topUp = poolTopUp(poolId, target.value);
    }
    if (row.investments.length === 0) problems[`round-${r}-investments`] = { code: 'noInvestor' };
    const newHolders: Holder[] = [];
    const investments: Round['investments'] = [];
    row.investments.forEach((inv, i) => {
      const investor = inv.investor.trim();
      if (investor === '') problems[`round-${r}-inv-${i}-name`] = { code: 'required' };
      const amount = parsePositiveAmount(inv.amount, lang);
      if ('problem' in amount) problems[`round-${r}-inv-${i}-amount`] = amount.problem;
      if (investor === '' || 'problem' in amount) return;
      let holder = byName.get(investor.toLowerCase());
      if (!holder) {
        holder = { id: unique(slugOf(investor, 'investor'), taken), name: investor, kind: 'investor' };
        taken.add(holder.id);
        byName.set(investor.toLowerCase(), holder);
        newHolders.push(holder);
      }
      investments.push(investment(holder.id, amount.value, row.antiDilution));
    });
    if ('value' in pre) rounds.push({ name, date, preMoney: pre.value, newHolders, investments, poolTopUp: topUp, preference: PLAIN_PREFERENCE });
  });
  if (Object.keys(problems).length > 0) return { problems };
  return { plan: { founding, rounds } };
}

// ---------------------------------------------------------------------------------------
// A spin-off's deal terms

/** A milestone as typed: its amount and due date are text until the terms are saved. */
export interface MilestoneRow {
  description: string;
  amount: string;
  due: string;
}

/** The number fields of a spin-off's deal terms as typed (the choices stay in `DealTerms`). */
export interface DealTermsTexts {
  equity: string;
  royalty: string;
  freeMonths: string;
  sublicence: string;
  exitFee: string;
  minimum: string;
  minimumFrom: string;
  patentAmount: string;
  days: string;
  milestones: MilestoneRow[];
}

/** Stored deal terms as the texts of their fields. */
export function dealTermsTexts(t: DealTerms, lang: Lang): DealTermsTexts {
  const pct = (v: number | null | undefined) => (v == null ? '' : formatPercentInput(v, lang));
  const whole = (v: number | null | undefined) => (v == null ? '' : String(v));
  return {
    equity: pct(t.universityEquityBp),
    royalty: pct(t.royaltyRateBp),
    freeMonths: whole(t.royaltyFreeMonths),
    sublicence: pct(t.sublicenceShareBp),
    exitFee: pct(t.exitFeeBp),
    minimum: t.minimumAnnualPayment ? formatAmountInput(t.minimumAnnualPayment.amount, lang) : '',
    minimumFrom: t.minimumAnnualPayment ? String(t.minimumAnnualPayment.fromContractYear) : '1',
    patentAmount: t.patentCosts?.kind === 'fixedAmount' ? formatAmountInput(t.patentCosts.amount, lang) : '',
    days: whole(t.daysToSigning),
    milestones: (t.milestones ?? []).map((m) => ({ description: m.description, amount: formatAmountInput(m.amount, lang), due: formatDateInput(m.due, lang) })),
  };
}

/**
 * The deal terms with the typed numbers read in, or every problem at once, keyed by the id
 * of its field (`terms-equity`, `milestone-0-amount`, …), so that one save shows them all.
 */
export function dealTermsOfTexts(base: DealTerms, x: DealTermsTexts, lang: Lang): { terms: DealTerms } | { problems: Problems } {
  const problems: Problems = {};
  const read = (id: string, unit: TermUnit, text: string): number | null => {
    const r = parseBound(unit, text, lang);
    if ('problem' in r) {
      problems[id] = r.problem;
      return null;
    }
    return r.value;
  };
  const equity = read('terms-equity', 'basisPoints', x.equity);
  const royalty = read('terms-royalty', 'basisPoints', x.royalty);
  const freeMonths = read('terms-free', 'months', x.freeMonths);
  const sublicence = read('terms-sublicence', 'basisPoints', x.sublicence);
  const exitFee = read('terms-exit-fee', 'basisPoints', x.exitFee);
  const minimum = read('terms-minimum', 'euroCents', x.minimum);
  let fromYear: number | null = null;
  if (minimum !== null) {
    fromYear = read('terms-minimum-from', 'months', x.minimumFrom);
    if (fromYear === null && !problems['terms-minimum-from']) problems['terms-minimum-from'] = { code: 'required' };
    else if (fromYear === 0) problems['terms-minimum-from'] = { code: 'sharesPositive' };
  }
  const patentAmount = base.patentCosts?.kind === 'fixedAmount' ? read('terms-patent-amount', 'euroCents', x.patentAmount) : null;
  const days = read('terms-days', 'days', x.days);
  const milestones: Milestone[] = x.milestones.map((m, n) => {
    const due = m.due.trim() === '' ? null : parseDate(m.due);
    if (due === null && m.due.trim() !== '') problems[`milestone-${n}-due`] = { code: 'badDate' };
    return { description: m.description, amount: read(`milestone-${n}-amount`, 'euroCents', m.amount) ?? 0, due };
  });
  if (Object.keys(problems).length > 0) return { problems };
  return {
    terms: {
      ...base,
      universityEquityBp: equity,
      royaltyRateBp: royalty,
      royaltyFreeMonths: freeMonths,
      sublicenceShareBp: sublicence,
      exitFeeBp: exitFee,
      minimumAnnualPayment: minimum === null ? null : { amount: minimum, fromContractYear: fromYear ?? 1 },
      patentCosts: base.patentCosts?.kind === 'fixedAmount' ? { kind: 'fixedAmount', amount: patentAmount ?? 0 } : base.patentCosts,
      daysToSigning: days,
      milestones,
    },
  };
}

/**
 * The funding rounds recorded on a spin-off as rounds of its cap table, oldest first: name,
 * closing date, pre-money and the amount raised (one investment, named by the round's
 * investors). The user completes what the record does not hold (a pool top-up, the split
 * between investors).
 */
export function roundsOfRecords(records: StoredRecord[], lang: Lang, investorsFallback: string): RoundRow[] {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const cents = (v: unknown) => (typeof v === 'number' ? formatAmountInput(v, lang) : '');
  return [...records]
    .sort((a, b) => text(a.values['closedDate']).localeCompare(text(b.values['closedDate'])))
    .map((r) => ({
      name: text(r.values['name']) || r.title,
      date: formatDateInput(text(r.values['closedDate']) || null, lang),
      preMoney: cents(r.values['preMoney']),
      poolTarget: '',
      antiDilution: 'none',
      investments: [{ investor: text(r.values['investors']) || investorsFallback, amount: cents(r.values['amount']) }],
    }));
}
