// The disclosure form, for a new disclosure and for edits. Nothing is saved unless the
// backend accepts the whole form; every problem is shown next to its field.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiFailure,
  type Decision,
  type Disclosure,
  type DisclosureInput,
  type DisclosureStage,
  type Organisation,
  type Person,
} from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { NumberInput } from '../components/NumberInput';
import { useI18n, type I18n } from '../i18n';
import { DECISIONS, decisionLabel, fieldMessages, STAGES, stageLabel } from '../lib/labels';
import {
  formatDateInput,
  formatPercentInput,
  parseDate,
  parsePercentBp,
  parseWholeNumber,
  todayIso,
} from '../lib/parse';
import { useFocusOnce } from '../lib/focus';

interface InventorLine {
  key: number;
  personId: string | null;
  name: string;
  organisationId: string;
  share: string;
}

interface FormState {
  reference: string;
  title: string;
  receivedOn: string;
  faculty: string;
  trl: string;
  stage: DisclosureStage;
  decision: Decision | '';
  decidedOn: string;
  summary: string;
  inventors: InventorLine[];
}

let lineKey = 0;
const emptyLine = (share = ''): InventorLine => ({ key: ++lineKey, personId: null, name: '', organisationId: '', share });

function initialState(i: I18n, d: Disclosure | null): FormState {
  if (!d) {
    return {
      reference: '',
      title: '',
      receivedOn: formatDateInput(todayIso(), i.lang),
      faculty: '',
      trl: '',
      stage: 'received',
      decision: '',
      decidedOn: '',
      summary: '',
      inventors: [emptyLine('100')],
    };
  }
  return {
    reference: d.reference,
    title: d.title,
    receivedOn: formatDateInput(d.receivedOn, i.lang),
    faculty: d.faculty,
    trl: d.trl === null ? '' : String(d.trl),
    stage: d.stage,
    decision: d.decision ?? '',
    decidedOn: formatDateInput(d.decidedOn, i.lang),
    summary: d.summary,
    inventors: d.inventors.map((inv) => ({
      key: ++lineKey,
      personId: inv.personId,
      name: inv.name,
      organisationId: inv.organisationId ?? '',
      share: formatPercentInput(inv.shareBp, i.lang),
    })),
  };
}

type Errors = Record<string, string>;

/** Turns the form into the backend's input, collecting what cannot even be parsed. */
function toInput(i: I18n, f: FormState): { input: DisclosureInput; errors: Errors } {
  const errors: Errors = {};
  const example = formatDateInput(todayIso(), i.lang);
  const date = (field: string, text: string): string | null => {
    if (!text.trim()) return null;
    const iso = parseDate(text);
    if (!iso) errors[field] = i.t('problem.badDate', { example });
    return iso;
  };
  const trl = parseWholeNumber(f.trl);
  if (Number.isNaN(trl)) errors.trl = i.t('problem.outOfRange', { min: 1, max: 9 });
  const inventors = f.inventors.map((line, n) => {
    const bp = parsePercentBp(line.share);
    if (bp === null) errors[`inventors.${n}.share`] = i.t('problem.badNumber', { example: i.lang === 'nl' ? '33,33' : '33.33' });
    return {
      personId: line.personId,
      name: line.name,
      organisationId: line.personId ? null : line.organisationId || null,
      shareBp: bp ?? 0,
    };
  });
  return {
    input: {
      reference: f.reference,
      title: f.title,
      receivedOn: date('receivedOn', f.receivedOn),
      faculty: f.faculty,
      trl: trl === null || Number.isNaN(trl) ? null : trl,
      stage: f.stage,
      decision: f.decision || null,
      decidedOn: date('decidedOn', f.decidedOn),
      summary: f.summary,
      inventors,
    },
    errors,
  };
}

export function DisclosureForm(props: { id: string | null; onSaved: (id: string) => void; onCancel: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [original, setOriginal] = useState<Disclosure | null>(null);
  const [form, setForm] = useState<FormState | null>(props.id ? null : initialState(i, null));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [faculties, setFaculties] = useState<string[]>([]);
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [people, setPeople] = useState<Person[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const focusTitle = useFocusOnce<HTMLInputElement>();

  useEffect(() => {
    api.listFaculties().then(setFaculties).catch(() => undefined);
    api.listOrganisations().then(setOrganisations).catch(() => undefined);
    if (props.id) {
      api
        .getDisclosure(props.id)
        .then((d) => {
          setOriginal(d.disclosure);
          setForm(initialState(i, d.disclosure));
        })
        .catch(setFailure);
    }
  }, [props.id]);

  const sharesTotal = useMemo(
    () => (form ? form.inventors.reduce((sum, l) => sum + (parsePercentBp(l.share) ?? 0), 0) : 0),
    [form],
  );

  if (!form) {
    return (
      <section class="view">
        {failure ? <ErrorBanner error={failure} /> : <p class="muted">{t('common.loading')}</p>}
      </section>
    );
  }

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm({ ...form, [key]: value });
  const setLine = (n: number, patch: Partial<InventorLine>) =>
    setForm({ ...form, inventors: form.inventors.map((l, k) => (k === n ? { ...l, ...patch } : l)) });

  // Leaving "decided" clears the decision; reaching it proposes today as its date.
  const changeStage = (stage: DisclosureStage) =>
    setForm(
      stage === 'decided'
        ? { ...form, stage, decidedOn: form.decidedOn || formatDateInput(todayIso(), i.lang) }
        : { ...form, stage, decision: '', decidedOn: '' },
    );

  const onName = (n: number, name: string) => {
    const matches = people.filter((p) => p.name === name);
    setLine(n, { name, personId: matches.length === 1 ? matches[0]!.id : null });
    if (name.trim().length >= 2) {
      api.listPeople(name, 12).then(setPeople).catch(() => undefined);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (saving) return;
    const { input, errors: parseErrors } = toInput(i, form);
    setFailure(null);
    if (Object.keys(parseErrors).length) {
      setErrors(parseErrors);
      setFailure(new ApiFailure('validation', ''));
      focusFirstError();
      return;
    }
    setSaving(true);
    try {
      const saved = props.id ? await api.updateDisclosure(props.id, input) : await api.createDisclosure(input);
      props.onSaved(saved.id);
    } catch (err) {
      if (err instanceof ApiFailure && err.kind === 'validation') {
        setErrors(fieldMessages(i, err));
        focusFirstError();
      }
      setFailure(err);
    } finally {
      setSaving(false);
    }
  };

  const focusFirstError = () =>
    requestAnimationFrame(() =>
      (formRef.current?.querySelector('.field-invalid input, .field-invalid select, .field-invalid textarea') as HTMLElement | null)?.focus(),
    );

  const decided = form.stage === 'decided';
  const err = (field: string) => errors[field];

  return (
    <section class="view form-view" aria-labelledby="form-title">
      <header class="view-header">
        <h1 id="form-title">{original ? t('form.editTitle', { reference: original.reference }) : t('form.newTitle')}</h1>
      </header>
      <ErrorBanner error={failure} />
      <form ref={formRef} class="form" id="disclosure-form" onSubmit={submit} noValidate>
        <div class="grid">
          <Field id="f-title" label={t('field.title')} required error={err('title')} class="span-2">
            <input id="f-title" name="title" value={form.title} onInput={(e) => set('title', e.currentTarget.value)} ref={focusTitle} />
          </Field>
          <Field id="f-reference" label={t('field.reference')} hint={t('field.referenceHint')} error={err('reference')}>
            <input id="f-reference" name="reference" value={form.reference} onInput={(e) => set('reference', e.currentTarget.value)} />
          </Field>
          <Field id="f-received" label={t('field.receivedOn')} required error={err('receivedOn')}>
            <input
              id="f-received"
              name="receivedOn"
              inputMode="numeric"
              placeholder={t('form.datePlaceholder')}
              value={form.receivedOn}
              onInput={(e) => set('receivedOn', e.currentTarget.value)}
            />
          </Field>
          <Field id="f-faculty" label={t('field.faculty')} error={err('faculty')}>
            <input id="f-faculty" name="faculty" list="faculties" value={form.faculty} onInput={(e) => set('faculty', e.currentTarget.value)} />
            <datalist id="faculties">
              {faculties.map((f) => (
                <option value={f} />
              ))}
            </datalist>
          </Field>
          <Field id="f-trl" label={t('field.trl')} hint={t('field.trlHint')} error={err('trl')}>
            <NumberInput id="f-trl" name="trl" kind="whole" text={form.trl} invalid={!!err('trl')} onText={(v) => set('trl', v)} />
          </Field>
          <Field id="f-stage" label={t('field.stage')} error={err('stage')}>
            <select id="f-stage" name="stage" value={form.stage} onChange={(e) => changeStage(e.currentTarget.value as DisclosureStage)}>
              {STAGES.map((s) => (
                <option value={s}>{stageLabel(i, s)}</option>
              ))}
            </select>
          </Field>
          <Field id="f-decision" label={t('field.decision')} error={err('decision')}>
            <select
              id="f-decision"
              name="decision"
              value={form.decision}
              disabled={!decided && !form.decision}
              onChange={(e) => set('decision', e.currentTarget.value as Decision | '')}
            >
              <option value="">{t('decision.none')}</option>
              {DECISIONS.map((d) => (
                <option value={d}>{decisionLabel(i, d)}</option>
              ))}
            </select>
          </Field>
          <Field id="f-decided" label={t('field.decidedOn')} error={err('decidedOn')}>
            <input
              id="f-decided"
              name="decidedOn"
              inputMode="numeric"
              placeholder={t('form.datePlaceholder')}
              disabled={!decided && !form.decidedOn}
              value={form.decidedOn}
              onInput={(e) => set('decidedOn', e.currentTarget.value)}
            />
          </Field>
          <Field id="f-summary" label={t('field.summary')} error={err('summary')} class="span-3">
            <textarea id="f-summary" name="summary" rows={4} value={form.summary} onInput={(e) => set('summary', e.currentTarget.value)} />
          </Field>
        </div>

        <fieldset class={`inventors ${err('inventors') ? 'field-invalid' : ''}`}>
          <legend>{t('field.inventors')}</legend>
          <datalist id="people-suggestions">
            {people.map((p) => (
              <option value={p.name}>{p.organisationName ?? p.faculty}</option>
            ))}
          </datalist>
          {form.inventors.map((line, n) => (
            <div class="inventor-line" key={line.key} data-line={n}>
              <Field id={`inv-${n}-name`} label={`${t('field.inventor')} ${n + 1}`} required error={err(`inventors.${n}.name`)}>
                <input
                  id={`inv-${n}-name`}
                  class="inventor-name"
                  list="people-suggestions"
                  autoComplete="off"
                  value={line.name}
                  onInput={(e) => onName(n, e.currentTarget.value)}
                />
                {!line.personId && line.name.trim() && <span class="tag">{t('form.newPerson')}</span>}
              </Field>
              <Field id={`inv-${n}-org`} label={t('field.organisation')} error={err(`inventors.${n}.organisation`)}>
                <select
                  id={`inv-${n}-org`}
                  value={line.organisationId}
                  disabled={line.personId !== null}
                  onChange={(e) => setLine(n, { organisationId: e.currentTarget.value })}
                >
                  <option value="">{t('form.noOrganisation')}</option>
                  {organisations.map((o) => (
                    <option value={o.id}>{o.name}</option>
                  ))}
                </select>
              </Field>
              <Field id={`inv-${n}-share`} label={t('field.share')} required error={err(`inventors.${n}.share`)}>
                <NumberInput id={`inv-${n}-share`} kind="percent" text={line.share} invalid={!!err(`inventors.${n}.share`)} onText={(v) => setLine(n, { share: v })} />
              </Field>
              <button
                type="button"
                class="button button-quiet remove-inventor"
                aria-label={t('form.removeInventor', { n: n + 1 })}
                onClick={() => setForm({ ...form, inventors: form.inventors.filter((_, k) => k !== n) })}
              >
                ✕
              </button>
            </div>
          ))}
          <div class="inventor-footer">
            <button
              type="button"
              class="button"
              id="add-inventor"
              onClick={() => setForm({ ...form, inventors: [...form.inventors, emptyLine()] })}
            >
              {t('form.addInventor')}
            </button>
            <span class={`shares-total ${sharesTotal === 10_000 ? 'ok' : 'off'}`} id="shares-total">
              {t('form.sharesTotal', { total: i.percentBp(sharesTotal) })}
            </span>
          </div>
          {err('inventors') && (
            <p class="field-error" role="alert" id="inventors-error">
              {err('inventors')}
            </p>
          )}
        </fieldset>

        <div class="form-actions">
          <button type="submit" class="button button-primary" id="save" disabled={saving}>
            {saving ? t('common.saving') : t('common.save')}
          </button>
          <button type="button" class="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
