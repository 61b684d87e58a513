import { describe, expect, it } from 'vitest';
import type { ImportDuplicate, ImportIssue, IssueKind, KindSpec } from '../api';
import { makeI18n } from '../i18n';
import { choicesFor, issueColumn, issueText, proposedChoice, unmappedRequired } from './importing';

const issue = (p: Partial<ImportIssue> & Pick<ImportIssue, 'issue'>): ImportIssue => ({
  line: 3,
  column: null,
  field: null,
  message: 'English',
  ...p,
});

// Every kind of problem the store can report, so a new kind without a sentence fails here.
const everyIssue: { [C in IssueKind['code']]: Extract<IssueKind, { code: C }> } = {
  unreadable: { code: 'unreadable' },
  badRow: { code: 'badRow' },
  notAmount: { code: 'notAmount', value: 'v' },
  ambiguousAmount: { code: 'ambiguousAmount', value: 'v' },
  notDate: { code: 'notDate', value: 'v' },
  notYesNo: { code: 'notYesNo', value: 'v' },
  notWholeNumber: { code: 'notWholeNumber', value: 'v' },
  notChoice: { code: 'notChoice', value: 'v', options: ['other'] },
  notId: { code: 'notId', value: 'v' },
  noSuchRecord: { code: 'noSuchRecord', value: 'v' },
  severalRecords: { code: 'severalRecords', value: 'v' },
  notInventors: { code: 'notInventors', value: 'v' },
  notStage: { code: 'notStage', value: 'v' },
  cellError: { code: 'cellError', value: 'v' },
  repeatedInFile: { code: 'repeatedInFile', otherLine: 2 },
  requiredColumn: { code: 'requiredColumn' },
  mappedTwice: { code: 'mappedTwice' },
  unknownField: { code: 'unknownField' },
  unknownColumn: { code: 'unknownColumn' },
  invalid: { code: 'invalid', problem: { code: 'required' } as never },
};

describe('import problems', () => {
  it('each have a sentence in both languages', () => {
    for (const lang of ['en', 'nl'] as const) {
      const i = makeI18n(lang);
      for (const kind of Object.values(everyIssue)) {
        if (kind.code === 'invalid') continue;
        const text = issueText(i, issue({ field: 'amount', issue: kind }));
        expect(text, `${lang} ${kind.code}`).not.toContain('import.issue.');
      }
    }
  });
  it('are phrased in the user’s language with their values', () => {
    const nl = makeI18n('nl');
    expect(issueText(nl, issue({ issue: { code: 'notAmount', value: 'tien euro' } }))).toBe(
      '„tien euro” is geen bedrag in euro (zoals 1.234,56 of 1234.56).',
    );
    expect(issueText(nl, issue({ issue: { code: 'repeatedInFile', otherLine: 2 } }))).toBe('Hetzelfde record als op regel 2.');
    const en = makeI18n('en');
    expect(issueText(en, issue({ field: 'category', issue: { code: 'notChoice', value: 'x', options: ['legal', 'other'] } }))).toBe(
      '“x” is not one of: Legal, Other.',
    );
  });
  it('quote a bad inventors cell and an unknown stage', () => {
    const nl = makeI18n('nl');
    expect(issueText(nl, issue({ field: 'inventors', issue: { code: 'notInventors', value: 'Chen (zestig)' } }))).toBe(
      '„Chen (zestig)” is geen lijst van uitvinders (zoals Anouk de Vries (60 %); Bram Jansen (40 %)).',
    );
    const en = makeI18n('en');
    expect(issueText(en, issue({ field: 'stage', issue: { code: 'notStage', value: 'Gevierd' } }))).toBe(
      '“Gevierd” is not a stage of the deal’s pipeline.',
    );
    expect(issueText(en, issue({ field: 'stage', issue: { code: 'notChoice', value: 'x', options: ['in_assessment'] } }))).toBe(
      '“x” is not one of: In assessment.',
    );
  });
  it('reuse the form’s messages for a broken rule', () => {
    const en = makeI18n('en');
    expect(issueText(en, issue({ field: 'description', issue: { code: 'invalid', problem: { code: 'required' } } }))).toBe(
      en.t('problem.required'),
    );
  });
  it('name their column, else their field, else the whole file', () => {
    const en = makeI18n('en');
    expect(issueColumn(en, issue({ column: 'Bedrag (€)', issue: { code: 'badRow' } }))).toBe('Bedrag (€)');
    expect(issueColumn(en, issue({ field: 'paidDate', issue: { code: 'requiredColumn' } }))).toBe(en.t('rf.paidDate'));
    expect(issueColumn(en, issue({ issue: { code: 'unreadable' } }))).toBe('whole file');
  });
});

describe('duplicates', () => {
  const dup = (line: number, matchedBy: ImportDuplicate['matchedBy']): ImportDuplicate => ({
    line,
    recordId: `r${line}`,
    title: 'Acme',
    matchedBy,
    value: 'x',
    matched: {},
  });
  it('are merged when the row carries the record’s id and skipped otherwise, unless chosen', () => {
    expect(proposedChoice(dup(2, 'id'))).toBe('merge');
    expect(proposedChoice(dup(3, 'kvk'))).toBe('skip');
    expect(choicesFor([dup(2, 'id'), dup(3, 'email'), dup(4, 'key')], { 4: 'merge', 2: 'skip' })).toEqual([
      { line: 2, choice: 'skip' },
      { line: 3, choice: 'skip' },
      { line: 4, choice: 'merge' },
    ]);
  });
});

describe('the mapping', () => {
  it('names the required fields no column feeds, flags excepted', () => {
    const spec = {
      kind: 'cost',
      title: 'description',
      parent: null,
      fields: [
        { key: 'description', type: 'text', max: 300, required: true, inTable: true },
        { key: 'amount', type: 'money', required: true, inTable: true },
        { key: 'paid', type: 'bool', required: true, inTable: false },
        { key: 'patentId', type: 'link', kind: 'patent', required: false, inTable: false },
      ],
    } as KindSpec;
    expect(unmappedRequired(spec, ['description', null])).toEqual(['amount']);
    expect(unmappedRequired(spec, ['amount', 'description'])).toEqual([]);
  });
});
