// Pure helpers of the monitor screen: how figure values read, which monitor records the
// app can open, FTE input, the history the chart draws and which submissions are superseded.
import type { Figure, FigureValue, MonitorRecordKind, QualityWarning, RecordKind, SubmissionRecord } from '../api';
import type { I18n, MessageKey } from '../i18n';

/** The app's record kind of a monitor record kind; `null` when the app has no page for it. */
export function openableKind(kind: MonitorRecordKind): RecordKind | null {
  switch (kind) {
    case 'patentApplication':
      return 'patent';
    case 'disclosure':
    case 'agreement':
    case 'income':
    case 'spinOff':
    case 'fundingRound':
    case 'contribution':
    case 'scoutingLead':
      return kind;
    case 'officeInputs':
      return null;
  }
}

/** A figure value with its unit in the user's locale; `null` for "not available". */
export function valueText(i: I18n, v: FigureValue): string | null {
  switch (v.type) {
    case 'count':
      return i.number(v.value);
    case 'amount':
      return i.euros(v.value);
    case 'fte':
      return i.t('mon.fte', { n: i.number(v.value / 100, 2) });
    case 'notAvailable':
      return null;
  }
}

/** The number behind a value, for differences and charts; `null` when not available. */
export function numeric(v: FigureValue): number | null {
  return v.type === 'notAvailable' ? null : v.value;
}

/** The difference `current - previous` in the figure's unit, or `null` when either is missing or the units differ. */
export function difference(i: I18n, previous: FigureValue, current: FigureValue): string | null {
  if (previous.type === 'notAvailable' || current.type === 'notAvailable' || previous.type !== current.type) return null;
  const d = current.value - previous.value;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const abs: FigureValue = { ...current, value: Math.abs(d) } as FigureValue;
  return `${sign}${valueText(i, abs) ?? ''}`;
}

/** A breakdown key `dimension:member` as `Member` text: translated when known, else the member (a jurisdiction code). */
export function breakdownLabel(i: I18n, key: string): string {
  const member = key.slice(key.indexOf(':') + 1);
  const k = `mon.bd.${member}` as MessageKey;
  const text = i.t(k) as string | undefined;
  return text && text !== k ? text : member;
}

/** A record field named by a warning, with the form's label when the app has one. */
export function fieldName(i: I18n, field: string): string {
  for (const key of [`rf.${field}`, `field.${field}`] as MessageKey[]) {
    const text = i.t(key) as string | undefined;
    if (text && text !== key) return text.toLowerCase();
  }
  return field;
}

/** FTE counts are hundredths, typed with a decimal comma or point (lib/parse). */
export { formatHundredths as formatFteInput, parseHundredths as parseFteHundredths } from './parse';

/** A folder typed by the user is usable when absolute (`/…`, `~/…`, `C:\…`, `\\server\…`). */
export function isAbsoluteFolder(path: string): boolean {
  return /^(\/|~\/|[A-Za-z]:[\\/]|\\\\)/.test(path.trim());
}

/** Ids of the submissions a later version corrects. */
export function supersededIds(subs: SubmissionRecord[]): Set<string> {
  return new Set(subs.map((s) => s.supersedesId).filter((id): id is string => id !== null));
}

/** Indicators charted over the years (as in the PDF report). */
export const CHART_CODES = ['ID', 'PA-PRIO', 'LOA', 'SO'] as const;

export interface YearPoint {
  year: number;
  /** Value per charted code; `null` when not available or absent. */
  values: (number | null)[];
  /** True for the year being prepared (not yet signed). */
  current: boolean;
}

/**
 * The chart's years: the latest signed version of every other year (read from its signed
 * file) and the year on screen with its current figures, oldest first.
 */
export function chartHistory(subs: SubmissionRecord[], year: number, figures: Figure[]): YearPoint[] {
  const latest = new Map<number, SubmissionRecord>();
  for (const s of subs) {
    const had = latest.get(s.year);
    if (s.year !== year && (!had || had.version < s.version)) latest.set(s.year, s);
  }
  const points: YearPoint[] = [];
  for (const [y, s] of latest) {
    let values: (number | null)[] = CHART_CODES.map(() => null);
    try {
      const file = JSON.parse(s.canonicalJson) as { figures?: { code: string; value: number | null }[] };
      values = CHART_CODES.map((c) => file.figures?.find((f) => f.code === c)?.value ?? null);
    } catch {
      // An unreadable stored file leaves a gap rather than hiding the other years.
    }
    points.push({ year: y, values, current: false });
  }
  points.push({
    year,
    values: CHART_CODES.map((c) => {
      const f = figures.find((x) => x.code === c);
      return f ? numeric(f.value) : null;
    }),
    current: true,
  });
  return points.sort((a, b) => a.year - b.year);
}

/**
 * The field of the warned record where the user fixes the problem, so that the warning
 * opens the record's form at that field. A missing partner kind is fixed by picking the
 * counterparty (whose organisation kind it is), a missing source agreement kind by linking
 * the income to its agreement.
 */
export function fieldToFix(w: QualityWarning): string | null {
  const p = w.problem;
  switch (p.type) {
    case 'missingDate':
    case 'missingKind':
    case 'missingValue':
    case 'negativeAmount':
      if (p.field === 'partnerKind') return w.recordKind === 'contribution' ? 'partnerKind' : 'counterpartyId';
      if (p.field === 'sourceAgreementKind') return 'agreementId';
      return p.field;
    case 'missingFamily':
      return 'familyId';
    case 'missingResearchGroup':
      return 'researchGroup';
    default:
      return null;
  }
}
