import { describe, expect, it } from 'vitest';
import { en } from './en';
import { nl } from './nl';
import { makeI18n } from '.';

describe('translations', () => {
  it('give every English key a Dutch text with the same parameters', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const params = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
      expect(nl[key], key).toBeTruthy();
      expect(params(nl[key]), key).toBe(params(en[key]));
    }
  });
  it('fill in parameters', () => {
    expect(makeI18n('nl').t('list.count', { count: 3 })).toBe('3 meldingen');
  });
});

describe('formatting per locale', () => {
  it('writes dates, amounts and percentages the Dutch way in Dutch', () => {
    const i = makeI18n('nl');
    expect(i.date('2026-03-07')).toBe('07-03-2026');
    expect(i.euros(123456)).toMatch(/^€\s?1\.234,56$/);
    expect(i.percentBp(3333)).toBe('33,33\u00a0%');
    expect(i.percentBp(8000)).toBe('80\u00a0%');
    expect(i.dateTime('2026-03-07T09:05:00')).toMatch(/^07-03-2026,? 09:05$/);
  });
  it('writes them the British way in English', () => {
    const i = makeI18n('en');
    expect(i.date('2026-03-07')).toBe('07/03/2026');
    expect(i.euros(123456)).toBe('€1,234.56');
    expect(i.percentBp(8000)).toBe('80%');
    expect(i.dateTime('2026-03-07T09:05:00')).toBe('07/03/2026, 09:05');
  });
});
