import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../api';
import { makeI18n } from '../i18n';
import { problemText } from './labels';
import { parseInput } from './records';

const money = { key: 'amount', type: 'money', required: true } as FieldSpec;
const year = { key: 'startYear', type: 'integer', required: false } as FieldSpec;

const message = (v: unknown) => (v instanceof Error ? v.message : v);

describe('a record form field', () => {
  it('turns text that is not an amount into a message, never into NaN for the backend', () => {
    const nl = makeI18n('nl');
    expect(parseInput(nl, money, '1.234,56')).toBe(123456);
    expect(message(parseInput(nl, money, 'veel'))).toBe('Vul een getal in zoals 1.234,56.');
    expect(message(parseInput(nl, money, '-12,50'))).toBe('Vul een bedrag van nul of meer in.');
    expect(message(parseInput(makeI18n('en'), money, '-12.50'))).toBe('Enter an amount of zero or more.');
  });

  it('turns a word in a number field into a message with an example', () => {
    const nl = makeI18n('nl');
    expect(parseInput(nl, year, '2025')).toBe(2025);
    expect(message(parseInput(nl, year, 'twaalf'))).toBe('Vul een getal in zoals 2026.');
  });

  it('says what a valid KvK number, country, jurisdiction or e-mail address looks like', () => {
    const nl = makeI18n('nl');
    expect(problemText(nl, { field: 'kvkNumber', code: 'invalid' })).toContain('8 cijfers');
    expect(problemText(nl, { field: 'country', code: 'invalid' })).toContain('landcode van twee letters');
    expect(problemText(nl, { field: 'jurisdiction', code: 'invalid' })).toContain('NL, EP of PCT');
    expect(problemText(makeI18n('en'), { field: 'email', code: 'invalid' })).toContain('e-mail address');
    expect(problemText(nl, { field: 'other', code: 'invalid' })).toBe('Deze waarde is hier niet geldig.');
  });
});
