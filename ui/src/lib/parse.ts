// Parsing what a user types into form fields. Dates are day-month-year in both languages
// (the Dutch and British habit), with -, / or . between the parts; ISO dates are accepted
// too. Percentages take a decimal comma or point.
import type { Lang } from '../i18n';

const SEPARATOR: Record<Lang, string> = { en: '/', nl: '-' };

function isoOf(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `27-11-2026`, `27/11/2026`, `27.11.2026` or `2026-11-27` → `2026-11-27`; `null` if not a real date. */
export function parseDate(text: string): string | null {
  const s = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) return isoOf(Number(m[3]), Number(m[2]), Number(m[1]));
  return null;
}

/** `2026-11-27` → `27-11-2026` (nl) or `27/11/2026` (en), for an input field. */
export function formatDateInput(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return [d, m, y].join(SEPARATOR[lang]);
}

/** Today's date in the local time zone as ISO. */
export function todayIso(now: Date = new Date()): string {
  return isoOf(now.getFullYear(), now.getMonth() + 1, now.getDate()) ?? '';
}

/** `33,33`, `33.33` or `33,33 %` → 3333 basis points; `null` if not a number with at most two decimals. */
export function parsePercentBp(text: string): number | null {
  const s = text.trim().replace(/\s*%$/, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(s)) return null;
  return Math.round(Number(s) * 100);
}

/** Basis points as the text of a percentage field: 3333 → `33,33` (nl), 250 → `2.5` (en). */
export function formatPercentInput(bp: number, lang: Lang): string {
  const s = bp % 100 === 0 ? String(bp / 100) : (bp / 100).toFixed(2).replace(/0$/, '');
  return lang === 'nl' ? s.replace('.', ',') : s;
}

/** A whole number, or `null` for empty input; `NaN` when the text is not a whole number. */
export function parseWholeNumber(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  return /^-?\d+$/.test(s) ? Number(s) : Number.NaN;
}

/**
 * A euro amount as typed, in the habit of the language: `1.234,56` or `1234,56` in Dutch,
 * `1,234.56` or `1234.56` in English, with an optional `€`. Returns cents, `null` for
 * empty input, `NaN` when the text is not an amount.
 */
export function parseAmountCents(text: string, lang: Lang): number | null {
  const s = text.trim().replace(/^€\s*/, '').replace(/\s/g, '');
  if (s === '') return null;
  const [group, decimal] = lang === 'nl' ? ['.', ','] : [',', '.'];
  const re = new RegExp(`^\\d{1,3}(\\${group}\\d{3})*(\\${decimal}\\d{1,2})?$|^\\d+(\\${decimal}\\d{1,2})?$`);
  if (!re.test(s)) return Number.NaN;
  const [whole = '0', frac = ''] = s.split(group).join('').split(decimal);
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** Digits in groups of three: `412500000` → `412.500.000` with `.`. */
function grouped(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * Cents as the text of an amount field, grouped in the habit of the language:
 * 41250000000 → `412.500.000` (nl) or `412,500,000` (en), 123456 → `1.234,56` or
 * `1,234.56`; whole euros without decimals. `parseAmountCents` reads it back.
 */
export function formatAmountInput(cents: number | null, lang: Lang): string {
  if (cents === null) return '';
  const [group, decimal] = lang === 'nl' ? ['.', ','] : [',', '.'];
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = grouped(String(Math.floor(abs / 100)), group);
  const frac = abs % 100;
  return `${sign}${whole}${frac === 0 ? '' : decimal + String(frac).padStart(2, '0')}`;
}

/** Hundredths (an FTE count) typed with a decimal comma or point: `12,5` → 1250. */
export function parseHundredths(text: string): number | null {
  const s = text.trim().replace(',', '.');
  if (s === '') return null;
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return Number.NaN;
  const [whole = '0', frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** Hundredths as the text of an FTE field: 1250 → `12,5` (nl) or `12.5` (en). */
export function formatHundredths(hundredths: number | null, lang: Lang): string {
  if (hundredths === null) return '';
  const s = String(hundredths / 100);
  return lang === 'nl' ? s.replace('.', ',') : s;
}

/**
 * The kinds of number a field holds. A number field keeps exactly what the user types
 * while it has the focus and is only rewritten in the language's format when the user
 * leaves it (`normaliseNumberText`), so `2,5` never becomes `25` half-way through.
 */
export type NumberKind = 'amount' | 'percent' | 'whole' | 'hundredths';

/** The number a field's text stands for: `null` when empty, `NaN` when it is not one. */
export function parseNumberText(kind: NumberKind, text: string, lang: Lang): number | null {
  switch (kind) {
    case 'amount':
      return parseAmountCents(text, lang);
    case 'percent': {
      if (text.trim() === '') return null;
      return parsePercentBp(text) ?? Number.NaN;
    }
    case 'whole':
      return parseWholeNumber(text);
    case 'hundredths':
      return parseHundredths(text);
  }
}

/** A number as the text of its field in the language's format. */
export function formatNumberText(kind: NumberKind, value: number | null, lang: Lang): string {
  if (value === null) return '';
  switch (kind) {
    case 'amount':
      return formatAmountInput(value, lang);
    case 'percent':
      return formatPercentInput(value, lang);
    case 'whole':
      return String(value);
    case 'hundredths':
      return formatHundredths(value, lang);
  }
}

/**
 * The text a field shows once the user leaves it: the same number in the language's format
 * (`412500000` → `412.500.000`), or the text unchanged when it is not a number, so that the
 * message beside the field can name what was typed.
 */
export function normaliseNumberText(kind: NumberKind, text: string, lang: Lang): string {
  const v = parseNumberText(kind, text, lang);
  if (v === null || Number.isNaN(v)) return text;
  return formatNumberText(kind, v, lang);
}
