import { describe, expect, it } from 'vitest';
import type { Figure, SubmissionRecord } from '../api';
import { makeI18n } from '../i18n';
import { en } from '../i18n/en';
import { nl } from '../i18n/nl';
import {
  breakdownLabel,
  chartHistory,
  difference,
  formatFteInput,
  isAbsoluteFolder,
  openableKind,
  parseFteHundredths,
  supersededIds,
  valueText,
} from './monitorLogic';

const sub = (id: string, year: number, version: number, supersedesId: string | null, figures: object[]): SubmissionRecord => ({
  id,
  year,
  version,
  supersedesId,
  institutionId: 'demo',
  definitionVersion: '2026.1',
  canonicalJson: JSON.stringify({ figures }),
  signature: '',
  sha256: 'ab'.repeat(32),
  keyId: '0123456789ABCDEF',
  signer: 'Head',
  signedAt: '2026-01-10T10:00:00Z',
});

describe('monitor values', () => {
  it('keep "not available" apart from zero', () => {
    const i = makeI18n('en');
    expect(valueText(i, { type: 'count', value: 0 })).toBe('0');
    expect(valueText(i, { type: 'notAvailable', value: { reason: 'inputNotRecorded' } })).toBeNull();
  });
  it('write amounts and FTE in the locale', () => {
    const nlI = makeI18n('nl');
    expect(valueText(nlI, { type: 'amount', value: 123456 })).toMatch(/^€\s?1\.234,56$/);
    expect(valueText(nlI, { type: 'fte', value: 1250 })).toBe('12,5 fte');
    expect(valueText(makeI18n('en'), { type: 'fte', value: 1250 })).toBe('12.5 FTE');
  });
  it('give a signed difference only between comparable values', () => {
    const i = makeI18n('en');
    expect(difference(i, { type: 'count', value: 3 }, { type: 'count', value: 5 })).toBe('+2');
    expect(difference(i, { type: 'amount', value: 500 }, { type: 'amount', value: 200 })).toBe('−€3.00');
    expect(difference(i, { type: 'notAvailable', value: { reason: 'inputNotRecorded' } }, { type: 'count', value: 1 })).toBeNull();
  });
  it('label breakdown members, keeping jurisdiction codes', () => {
    const i = makeI18n('nl');
    expect(breakdownLabel(i, 'loaKind:licence')).toBe('licentie');
    expect(breakdownLabel(i, 'jurisdiction:EP')).toBe('EP');
  });
});

describe('monitor inputs', () => {
  it('read FTE with a comma or a point and at most two decimals', () => {
    expect(parseFteHundredths('12,5')).toBe(1250);
    expect(parseFteHundredths('12.25')).toBe(1225);
    expect(parseFteHundredths('')).toBeNull();
    expect(parseFteHundredths('1.234,5')).toBeNaN();
    expect(parseFteHundredths('-1')).toBeNaN();
    expect(formatFteInput(1250, 'nl')).toBe('12,5');
    expect(formatFteInput(null, 'en')).toBe('');
  });
  it('accept only absolute folders', () => {
    expect(isAbsoluteFolder('/home/kto')).toBe(true);
    expect(isAbsoluteFolder('C:\\Users\\kto')).toBe(true);
    expect(isAbsoluteFolder('keys')).toBe(false);
    expect(isAbsoluteFolder('')).toBe(false);
  });
});

describe('monitor records and history', () => {
  it('map monitor kinds to the app kinds that open', () => {
    expect(openableKind('patentApplication')).toBe('patent');
    expect(openableKind('spinOff')).toBe('spinOff');
    expect(openableKind('officeInputs')).toBeNull();
  });
  it('chart the latest version of each signed year and the year on screen', () => {
    const subs = [
      sub('a', 2023, 1, null, [{ code: 'ID', value: 10 }]),
      sub('b', 2023, 2, 'a', [{ code: 'ID', value: 12 }, { code: 'SO', value: null }]),
      sub('c', 2025, 1, null, [{ code: 'ID', value: 99 }]),
    ];
    const figures: Figure[] = [{ code: 'ID', value: { type: 'count', value: 17 }, breakdowns: [], recordIds: [] }];
    const points = chartHistory(subs, 2025, figures);
    expect(points.map((p) => [p.year, p.values[0], p.current])).toEqual([
      [2023, 12, false],
      [2025, 17, true],
    ]);
    expect(points[0]?.values[3]).toBeNull();
    expect([...supersededIds(subs)]).toEqual(['a']);
  });
});

describe('monitor strings', () => {
  it('exist in Dutch for every English key', () => {
    for (const key of Object.keys(en).filter((k) => k.startsWith('mon.'))) {
      expect(nl[key as keyof typeof nl], key).toBeTruthy();
    }
  });
});
