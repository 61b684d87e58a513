import { describe, expect, it } from 'vitest';
import type { BenchmarkFigure, InboxFile } from '../api';
import { makeI18n } from '../i18n';
import { fileStatus, inboxCounts, peerText, ratioValue, unitValue } from './nationalLogic';

const file = (p: Partial<InboxFile>): InboxFile =>
  ({ file: 'x.json', sha256: null, institutionId: 'tue', institutionName: null, year: 2025, definitionVersion: '2026.1', supersedes: null, keyId: null, status: 'accepted', ...p }) as InboxFile;

const peer = (p: Partial<BenchmarkFigure>): BenchmarkFigure => ({
  peer: 'ETH Zurich',
  indicator: 'SO',
  period: '2024',
  year: 2024,
  value: 37,
  currency: null,
  sourceTitle: 't',
  url: 'https://example.org',
  sourceDate: '2025',
  quote: 'q',
  ...p,
});

describe('national figures', () => {
  it('are written in their unit and language', () => {
    const nl = makeI18n('nl');
    expect(unitValue(nl, 'count', 1234)).toBe('1.234');
    expect(unitValue(nl, 'eur_cents', 123456)).toMatch(/1\.234,56/);
    expect(unitValue(nl, 'fte_hundredths', 12345)).toBe('123,45');
    expect(unitValue(nl, 'count', null)).toBe('–');
    const en = makeI18n('en');
    expect(ratioValue(en, 'count', 12.345)).toBe('12.3');
  });
  it('name each file’s status and count them', () => {
    const en = makeI18n('en');
    const files = [
      file({}),
      file({ status: 'superseded', bySha256: 'ab', byFile: 'tud-2.json' } as Partial<InboxFile>),
      file({ status: 'refused', kind: 'tampered', message: 'changed' } as Partial<InboxFile>),
    ];
    expect(files.map((f) => fileStatus(en, f))).toEqual(['Accepted', 'Superseded by tud-2.json', 'Refused: changed after signing']);
    expect(fileStatus(makeI18n('nl'), files[2]!)).toBe('Geweigerd: na ondertekening gewijzigd');
    expect(inboxCounts(files)).toEqual({ files: 3, accepted: 1, superseded: 1, refused: 1 });
  });
  it('put the newest peer figure first, money with its currency', () => {
    const en = makeI18n('en');
    const figures = [peer({ year: 2023, period: '2023', value: 43 }), peer({}), peer({ peer: 'KU Leuven', indicator: 'LI', value: 150000000, currency: 'EUR' })];
    expect(peerText(en, figures, 'SO')).toBe('ETH Zurich 37 (2024); ETH Zurich 43 (2023)');
    expect(peerText(en, figures, 'LI')).toBe('KU Leuven EUR 150,000,000 (2024)');
    expect(peerText(en, figures, 'ID')).toBe('');
  });
});
