// The translation layer: every visible string goes through `t`, every date, number and
// percentage through the formatters of the chosen locale.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey } from './en';
import { nl } from './nl';

export type Lang = 'en' | 'nl';
export type { MessageKey };

const catalogues: Record<Lang, Record<MessageKey, string>> = { en, nl };

/** BCP 47 locale per language: British English for day-month dates and the euro. */
export const LOCALES: Record<Lang, string> = { en: 'en-GB', nl: 'nl-NL' };

export type Params = Record<string, string | number>;

export interface I18n {
  lang: Lang;
  t: (key: MessageKey, params?: Params) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string) => string;
  number: (n: number, fractionDigits?: number) => string;
  percentBp: (bp: number) => string;
  euros: (cents: number) => string;
}

export function makeI18n(lang: Lang): I18n {
  const catalogue = catalogues[lang];
  const locale = LOCALES[lang];
  const dateFmt = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
  // One date format per language everywhere: 07-03-2026 in Dutch, 07/03/2026 in English,
  // with the time beside it where a moment matters.
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  const percentFmt = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  const euroFmt = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' });
  const t = (key: MessageKey, params?: Params): string => {
    // A key without a text shows as itself rather than breaking the page.
    const text: string = catalogue[key] ?? en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : text;
  };
  return {
    lang,
    t,
    date: (iso) => (iso ? dateFmt.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)) : t('common.none')),
    dateTime: (iso) => dateTimeFmt.format(new Date(iso)),
    number: (n, fractionDigits = 0) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(n),
    // Dutch writes a space before the per cent sign ("80 %"), English none ("80%").
    percentBp: (bp) => {
      const s = percentFmt.format(bp / 10_000);
      return lang === 'nl' ? s.replace(/\s?%$/, '\u00a0%') : s;
    },
    euros: (cents) => euroFmt.format(cents / 100),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
