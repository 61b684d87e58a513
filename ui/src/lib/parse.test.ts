import { describe, expect, it } from 'vitest';
import {
  formatAmountInput,
  formatDateInput,
  formatPercentInput,
  normaliseNumberText,
  parseAmountCents,
  parseNumberText,
  parseDate,
  parsePercentBp,
  parseWholeNumber,
} from './parse';

describe('dates typed by a user', () => {
  it('reads day-month-year with any usual separator, and ISO', () => {
    expect(parseDate('27-11-2026')).toBe('2026-11-27');
    expect(parseDate('7/3/2025')).toBe('2025-03-07');
    expect(parseDate(' 31.12.2025 ')).toBe('2025-12-31');
    expect(parseDate('2026-02-28')).toBe('2026-02-28');
  });
  it('refuses dates that do not exist and other text', () => {
    expect(parseDate('31-02-2026')).toBeNull();
    expect(parseDate('2026-13-01')).toBeNull();
    expect(parseDate('11/27/2026')).toBeNull();
    expect(parseDate('yesterday')).toBeNull();
    expect(parseDate('')).toBeNull();
  });
  it('writes dates back in the habit of the language', () => {
    expect(formatDateInput('2026-03-07', 'nl')).toBe('07-03-2026');
    expect(formatDateInput('2026-03-07', 'en')).toBe('07/03/2026');
  });
});

describe('percentages typed by a user', () => {
  it('accepts a decimal comma or point and an optional % sign', () => {
    expect(parsePercentBp('60')).toBe(6000);
    expect(parsePercentBp('33,33')).toBe(3333);
    expect(parsePercentBp('33.34 %')).toBe(3334);
  });
  it('refuses more than two decimals, signs and words', () => {
    expect(parsePercentBp('33,333')).toBeNull();
    expect(parsePercentBp('-5')).toBeNull();
    expect(parsePercentBp('half')).toBeNull();
  });
  it('writes shares back with the decimal sign of the language', () => {
    expect(formatPercentInput(3333, 'nl')).toBe('33,33');
    expect(formatPercentInput(6000, 'en')).toBe('60');
    expect(formatPercentInput(250, 'nl')).toBe('2,5');
    expect(formatPercentInput(1225, 'en')).toBe('12.25');
  });
});

describe('whole numbers', () => {
  it('tells empty, whole and other input apart', () => {
    expect(parseWholeNumber(' ')).toBeNull();
    expect(parseWholeNumber('7')).toBe(7);
    expect(parseWholeNumber('3.5')).toBeNaN();
  });
});


describe('amounts typed by a user', () => {
  it('read Dutch grouping and decimal comma in Dutch', () => {
    expect(parseAmountCents('1.234,56', 'nl')).toBe(123456);
    expect(parseAmountCents('€ 40000', 'nl')).toBe(4000000);
    expect(parseAmountCents('12,5', 'nl')).toBe(1250);
  });
  it('read English grouping and decimal point in English', () => {
    expect(parseAmountCents('1,234.56', 'en')).toBe(123456);
    expect(parseAmountCents('40000', 'en')).toBe(4000000);
  });
  it('refuse what is not an amount, and keep empty apart from zero', () => {
    expect(parseAmountCents('', 'nl')).toBeNull();
    expect(parseAmountCents('0', 'nl')).toBe(0);
    expect(parseAmountCents('1,234.56', 'nl')).toBeNaN();
    expect(parseAmountCents('-5', 'en')).toBeNaN();
    expect(parseAmountCents('twelve', 'en')).toBeNaN();
  });
  it('write amounts back grouped in thousands, in the habit of the language', () => {
    expect(formatAmountInput(123456, 'nl')).toBe('1.234,56');
    expect(formatAmountInput(4000000, 'en')).toBe('40,000');
    expect(formatAmountInput(41250000000, 'nl')).toBe('412.500.000');
    expect(formatAmountInput(41250000005, 'en')).toBe('412,500,000.05');
    expect(formatAmountInput(99, 'nl')).toBe('0,99');
    expect(formatAmountInput(null, 'en')).toBe('');
  });
  it('read back every amount they write', () => {
    for (const cents of [0, 5, 99, 100, 123456, 100000000, 41250000005]) {
      for (const lang of ['nl', 'en'] as const) expect(parseAmountCents(formatAmountInput(cents, lang), lang)).toBe(cents);
    }
  });
});

describe('a number field left by the user', () => {
  it('keeps a decimal percentage in both languages', () => {
    expect(parseNumberText('percent', '2.5', 'nl')).toBe(250);
    expect(parseNumberText('percent', '2,5', 'en')).toBe(250);
    expect(normaliseNumberText('percent', '2.5', 'nl')).toBe('2,5');
    expect(normaliseNumberText('percent', '2,50', 'en')).toBe('2.5');
    expect(normaliseNumberText('percent', '12,25', 'nl')).toBe('12,25');
  });
  it('groups an amount once entered', () => {
    expect(normaliseNumberText('amount', '412500000', 'nl')).toBe('412.500.000');
    expect(normaliseNumberText('amount', '1234,5', 'nl')).toBe('1.234,50');
    expect(normaliseNumberText('amount', '1234.5', 'en')).toBe('1,234.50');
  });
  it('leaves text that is not a number as typed, for the message beside it', () => {
    expect(normaliseNumberText('amount', '12abc', 'nl')).toBe('12abc');
    expect(parseNumberText('amount', '12abc', 'nl')).toBeNaN();
    expect(parseNumberText('percent', '2,5,5', 'nl')).toBeNaN();
    expect(parseNumberText('whole', '', 'nl')).toBeNull();
    expect(normaliseNumberText('hundredths', '12.5', 'nl')).toBe('12,5');
  });
});
