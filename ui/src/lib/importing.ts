// The import steps' logic apart from the screen: problems phrased in the user's language,
// the proposed choice per duplicate, and required fields that no column feeds.
import type { DuplicateChoice, ImportChoice, ImportDuplicate, ImportIssue, KindSpec } from '../api';
import type { I18n, MessageKey } from '../i18n';
import { problemText } from './labels';
import { fieldName, optionLabel } from './records';

/** The sentence for one import problem. */
export function issueText(i: I18n, p: ImportIssue): string {
  const issue = p.issue;
  switch (issue.code) {
    case 'invalid':
      return problemText(i, { field: p.field ?? '', ...issue.problem });
    case 'notChoice':
      return i.t('import.issue.notChoice', {
        value: issue.value,
        options: issue.options.map((o) => optionLabel(i, p.field ?? '', o)).join(', '),
      });
    case 'repeatedInFile':
      return i.t('import.issue.repeatedInFile', { line: issue.otherLine });
    case 'notAmount':
    case 'ambiguousAmount':
    case 'notDate':
    case 'notYesNo':
    case 'notWholeNumber':
    case 'notId':
    case 'noSuchRecord':
    case 'severalRecords':
    case 'cellError':
    case 'notInventors':
    case 'notStage':
      return i.t(`import.issue.${issue.code}` as MessageKey, { value: issue.value });
    default:
      return i.t(`import.issue.${issue.code}` as MessageKey);
  }
}

/** Where a problem is: the column's header, else the field's name, else the whole file. */
export function issueColumn(i: I18n, p: ImportIssue): string {
  if (p.column) return p.column;
  if (p.field) return fieldName(i, p.field);
  return i.t('import.fileWide');
}

/** The proposed choice: a row with the record's own id is that record (merge); a match on
 * a name, KvK number or e-mail may be a coincidence, so it is skipped unless chosen. */
export function proposedChoice(d: ImportDuplicate): DuplicateChoice {
  return d.matchedBy === 'id' ? 'merge' : 'skip';
}

/** The choices to send, one per duplicate. */
export function choicesFor(duplicates: ImportDuplicate[], chosen: Record<number, DuplicateChoice>): ImportChoice[] {
  return duplicates.map((d) => ({ line: d.line, choice: chosen[d.line] ?? proposedChoice(d) }));
}

/** Required fields (other than yes/no ones) that no column is mapped to. */
export function unmappedRequired(spec: KindSpec, mapping: (string | null)[]): string[] {
  return spec.fields.filter((f) => f.required && f.type !== 'bool' && !mapping.includes(f.key)).map((f) => f.key);
}
