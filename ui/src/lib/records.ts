// The record kinds as the backend describes them (one source of truth for fields, types
// and links), with helpers to show and enter their values.
import { useEffect, useState } from 'preact/hooks';
import { api, type FieldSpec, type KindSpec, type RecordKind, type Value } from '../api';
import type { I18n, MessageKey } from '../i18n';
import { formatAmountInput, formatDateInput, parseAmountCents, parseDate, parseWholeNumber } from './parse';

let specs: Promise<KindSpec[]> | null = null;

/** The generic kinds' specs, fetched once per session. */
export function useKinds(): KindSpec[] | null {
  const [kinds, setKinds] = useState<KindSpec[] | null>(null);
  useEffect(() => {
    specs ??= api.recordKinds();
    specs.then(setKinds).catch(() => {
      specs = null;
    });
  }, []);
  return kinds;
}

export const kindLabel = (i: I18n, k: RecordKind) => i.t(`rk.${k}` as MessageKey);
export const kindLabelOne = (i: I18n, k: RecordKind) => i.t(`rk1.${k}` as MessageKey);
/** Labels of a spin-off's deal terms, whose edits enter its history as `terms.<key>`. */
const TERM_LABELS: Record<string, string> = {
  form: 'spinTerms.form',
  universityEquityBp: 'spinTerms.equityPct',
  royaltyRateBp: 'spinTerms.royaltyPct',
  royaltyBase: 'spinTerms.royaltyBase',
  royaltyFreeMonths: 'spinTerms.freeMonths',
  sublicenceShareBp: 'spinTerms.sublicencePct',
  exitFeeBp: 'spinTerms.exitFeePct',
  antiDilution: 'spinTerms.antiDilution',
  minimumAnnualPayment: 'spinTerms.minimum',
  patentCosts: 'spinTerms.patentCosts',
  daysToSigning: 'spinTerms.days',
  milestones: 'spinTerms.milestones',
  capTable: 'capTable.title',
};

export const fieldName = (i: I18n, key: string) => {
  const term = key.startsWith('terms.') ? TERM_LABELS[key.slice('terms.'.length)] : undefined;
  return i.t((term ?? `rf.${key}`) as MessageKey);
};
export const optionLabel = (i: I18n, field: string, option: string) => {
  const key = `ro.${field}.${option}` as MessageKey;
  const text = i.t(key);
  return text === key ? option : text;
};

/** A stored value as text for tables and the record page (links are resolved apart). */
export function showValue(i: I18n, f: FieldSpec, v: Value | undefined): string {
  if (v === undefined || v === null) return '';
  switch (f.type) {
    case 'date':
      return i.date(String(v));
    case 'money':
      return i.euros(Number(v));
    case 'bool':
      return v ? i.t('records.yes') : i.t('records.no');
    case 'choice':
      return optionLabel(i, f.key, String(v));
    case 'integer':
      return f.key.endsWith('Year') || f.key === 'year' ? String(v) : i.number(Number(v));
    default:
      return String(v);
  }
}

/** A stored value as the text of its input. */
export function inputText(i: I18n, f: FieldSpec, v: Value | undefined): string {
  if (v === undefined || v === null) return '';
  switch (f.type) {
    case 'date':
      return formatDateInput(String(v), i.lang);
    case 'money':
      return formatAmountInput(Number(v), i.lang);
    default:
      return String(v);
  }
}

/** What the user typed, as the value to send; `undefined` for empty, `Error` when unreadable. */
export function parseInput(i: I18n, f: FieldSpec, text: string): Value | undefined | Error {
  const s = text.trim();
  if (s === '') return undefined;
  switch (f.type) {
    case 'date': {
      const d = parseDate(s);
      return d ?? new Error(i.t('problem.badDate', { example: formatDateInput('2026-12-31', i.lang) }));
    }
    case 'money': {
      // The parser answers NaN (not null) for text that is not an amount; NaN must never
      // reach the backend, where it arrives as null and fails as an internal error.
      const c = parseAmountCents(s, i.lang);
      if (c !== null && !Number.isNaN(c)) return c;
      const positive = s.startsWith('-') ? parseAmountCents(s.slice(1), i.lang) : Number.NaN;
      if (positive !== null && !Number.isNaN(positive)) return new Error(i.t('problem.negative'));
      return new Error(i.t('problem.badNumber', { example: i.lang === 'nl' ? '1.234,56' : '1,234.56' }));
    }
    case 'integer': {
      const n = parseWholeNumber(s);
      return n !== null && !Number.isNaN(n) ? n : new Error(i.t('problem.badNumber', { example: f.key.toLowerCase().includes('year') ? '2026' : '12' }));
    }
    default:
      return s;
  }
}
