// Display names of the domain's codes, through the translation layer.
import { ApiFailure, type Decision, type DisclosureStage, type FieldError, type Pipeline, type RecordDeadline, type Stage } from '../api';
import type { I18n, MessageKey } from '../i18n';

export const STAGES: DisclosureStage[] = ['received', 'inAssessment', 'decided'];
export const DECISIONS: Decision[] = ['protect', 'knowHow', 'release', 'abandon'];

export const stageLabel = (i: I18n, s: DisclosureStage) => i.t(`stage.${s}` as MessageKey);
export const decisionLabel = (i: I18n, d: Decision | null) => (d ? i.t(`decision.${d}` as MessageKey) : i.t('decision.none'));

/**
 * The field problems of a validation failure by field, each phrased in the user's language
 * (the first problem of a field wins); empty for any other failure.
 */
export function fieldMessages(i: I18n, err: unknown, phrase: (i: I18n, e: FieldError) => string = problemText): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiFailure && err.kind === 'validation') for (const fe of err.fields) out[fe.field] ??= phrase(i, fe);
  return out;
}

/** The message for one field problem, in the user's language. */
export function problemText(i: I18n, e: FieldError): string {
  switch (e.code) {
    case 'tooLong':
      return i.t('problem.tooLong', { max: e.max });
    case 'inFuture':
      return i.t('problem.inFuture', { today: i.date(e.today) });
    case 'before':
      return i.t('problem.before', { field: fieldLabel(i, e.other) });
    case 'outOfRange':
      if (e.min === 0 && e.max > 1e15) return i.t('problem.negative');
      return e.field.endsWith('.share')
        ? i.t('problem.shareRange')
        : i.t('problem.outOfRange', { min: e.min, max: e.max });
    case 'sharesNotHundred':
      return i.t('problem.sharesNotHundred', { sum: i.percentBp(e.sumBp) });
    case 'invalid': {
      // Say what a valid value looks like for the fields the backend checks by form.
      const key = e.field === 'kvkNumber' ? 'kvk' : e.field;
      return ['kvk', 'jurisdiction', 'country', 'email'].includes(key) ? i.t(`problem.invalid.${key}` as MessageKey) : i.t('problem.invalid');
    }
    default:
      return i.t(`problem.${e.code}` as MessageKey);
  }
}

/** Field names used in the history, shown with the form's labels. */
export function fieldLabel(i: I18n, field: string): string {
  for (const key of [`field.${field}`, `rf.${field}`] as MessageKey[]) {
    const text = i.t(key);
    if (text !== key) return text.toLowerCase();
  }
  return field;
}

/** A stored history value shown readably: stage and decision codes become labels. */
export function historyValue(i: I18n, field: string | null, value: string | null): string {
  if (value === null || value === '') return i.t('history.empty');
  if (field === 'stage') {
    const map: Record<string, DisclosureStage> = { received: 'received', in_assessment: 'inAssessment', decided: 'decided' };
    return map[value] ? stageLabel(i, map[value]) : value;
  }
  if (field === 'decision') {
    const map: Record<string, Decision> = { protect: 'protect', know_how: 'knowHow', release: 'release', abandon: 'abandon' };
    return map[value] ? decisionLabel(i, map[value]) : value;
  }
  if (field === 'receivedOn' || field === 'decidedOn') return i.date(value);
  return value;
}


export const PIPELINES: Pipeline[] = ['scouting', 'licensing', 'pps', 'contractResearch', 'spinOffs'];

export const pipelineLabel = (i: I18n, p: Pipeline) => i.t(`pipeline.${p}` as MessageKey);

/** A stage's name: the office's own, else the translated default. */
export function stageName(i: I18n, s: Stage): string {
  if (s.name) return s.name;
  const key = `stage.${s.code ?? ''}` as MessageKey;
  const text = i.t(key);
  return text === key ? (s.code ?? s.id) : text;
}

/** What a deadline is for, in words: "PCT national phase (30 months), EP". */
export function deadlineLabel(i: I18n, d: RecordDeadline): string {
  return i.t(`deadline.${d.kind}` as MessageKey, {
    jurisdiction: d.params['jurisdiction'] ?? '',
    months: d.params['months'] ?? '',
    office: d.params['office'] ? `, ${d.params['office']}` : '',
  });
}
