// The monitor's two small forms: the institution with its financial-year start, and the
// office inputs of the year (research expenditure, research FTE, KTO FTE).
import { useEffect, useState } from 'preact/hooks';
import { monitorApi, type FieldError, type MonitorSettings } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { NumberInput } from '../components/NumberInput';
import { useI18n, type I18n } from '../i18n';
import { fieldMessages, problemText } from '../lib/labels';
import { formatAmountInput, parseAmountCents } from '../lib/parse';
import { formatFteInput, parseFteHundredths } from '../lib/monitorLogic';

type Errors = Record<string, string>;

/** A field problem from the backend phrased for the monitor's fields. */
function monitorProblem(i: I18n, f: FieldError): string {
  if (f.field === 'institutionId' && f.code === 'invalid') return i.t('mon.institutionIdInvalid');
  if (f.field === 'institutionId' && f.code === 'required') return i.t('mon.noInstitution');
  if (f.field === 'financialYearStart') return i.t('mon.fyInvalid');
  if ((f.field === 'researchFte' || f.field === 'ktoFte') && f.code === 'outOfRange') return i.t('mon.fteRange');
  if (f.field === 'year' && f.code === 'outOfRange') return i.t('mon.yearRange', { min: f.min, max: f.max });
  return problemText(i, f);
}

/** Field errors of a validation failure by field name, else `null`. */
export function fieldErrors(i: I18n, e: unknown): Errors | null {
  const messages = fieldMessages(i, e, monitorProblem);
  return Object.keys(messages).length > 0 ? messages : null;
}

const MONTHS = Array.from({ length: 12 }, (_, k) => k + 1);
const DAYS = Array.from({ length: 31 }, (_, k) => k + 1);

export function InstitutionForm(props: { onSaved: () => void; onInstitution: (set: boolean) => void }) {
  const i = useI18n();
  const { t } = i;
  const [s, setS] = useState<MonitorSettings | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    monitorApi
      .getSettings()
      .then((x) => {
        setS(x);
        props.onInstitution(x.institutionId.trim() !== '' && x.institutionName.trim() !== '');
      })
      .catch(setError);
  }, []);
  if (!s) return <div class="card">{error ? <ErrorBanner error={error} /> : <p class="muted">{t('common.loading')}</p>}</div>;

  const monthName = (m: number) => new Intl.DateTimeFormat(i.lang === 'nl' ? 'nl-NL' : 'en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2001, m - 1, 1)));
  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    setError(null);
    const errs: Errors = {};
    if (!s.institutionId.trim()) errs['institutionId'] = t('problem.required');
    if (!s.institutionName.trim()) errs['institutionName'] = t('problem.required');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      const x = await monitorApi.saveSettings(s);
      setS(x);
      setSaved(true);
      props.onInstitution(x.institutionId !== '' && x.institutionName !== '');
      props.onSaved();
    } catch (err) {
      const fe = fieldErrors(i, err);
      if (fe) setErrors(fe);
      else setError(err);
    }
  };
  const missing = !s.institutionId.trim() || !s.institutionName.trim();
  return (
    <form class="card form" id="mon-settings" onSubmit={submit} noValidate>
      <h2>{t('mon.settings')}</h2>
      {missing && !saved && (
        <p class="banner banner-warn" id="mon-no-institution">
          {t('mon.noInstitution')}
        </p>
      )}
      <ErrorBanner error={error} />
      <Field id="mon-inst-id" label={t('mon.institutionId')} hint={t('mon.institutionIdHint')} error={errors['institutionId']} required>
        <input id="mon-inst-id" value={s.institutionId} onInput={(e) => setS({ ...s, institutionId: e.currentTarget.value })} />
      </Field>
      <Field id="mon-inst-name" label={t('mon.institutionName')} error={errors['institutionName']} required>
        <input id="mon-inst-name" value={s.institutionName} onInput={(e) => setS({ ...s, institutionName: e.currentTarget.value })} />
      </Field>
      <fieldset class={`mon-fy ${errors['financialYearStart'] ? 'field-invalid' : ''}`}>
        <legend>{t('mon.fyStart')}</legend>
        <div class="mon-fy-row">
          <select
            id="mon-fy-day"
            aria-label={t('mon.fyDay')}
            value={String(s.financialYearStart.day)}
            onChange={(e) => setS({ ...s, financialYearStart: { ...s.financialYearStart, day: Number(e.currentTarget.value) } })}
          >
            {DAYS.map((d) => (
              <option value={String(d)}>{d}</option>
            ))}
          </select>
          <select
            id="mon-fy-month"
            aria-label={t('mon.fyMonth')}
            value={String(s.financialYearStart.month)}
            onChange={(e) => setS({ ...s, financialYearStart: { ...s.financialYearStart, month: Number(e.currentTarget.value) } })}
          >
            {MONTHS.map((m) => (
              <option value={String(m)}>{monthName(m)}</option>
            ))}
          </select>
        </div>
        {errors['financialYearStart'] && (
          <p class="field-error" id="mon-fy-error" role="alert">
            {errors['financialYearStart']}
          </p>
        )}
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button button-primary" id="save-mon-settings">
          {t('common.save')}
        </button>
        {saved && (
          <span class="ok-text" role="status" id="mon-settings-saved">
            {t('mon.settingsSaved')}
          </span>
        )}
      </div>
    </form>
  );
}

export function InputsForm(props: { year: number; onSaved: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [texts, setTexts] = useState({ researchExpenditure: '', researchFte: '', ktoFte: '' });
  const [loaded, setLoaded] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setLoaded(false);
    setSaved(false);
    setErrors({});
    monitorApi
      .getOfficeInputs(props.year)
      .then((x) => {
        setTexts({
          researchExpenditure: formatAmountInput(x?.researchExpenditure ?? null, i.lang),
          researchFte: formatFteInput(x?.researchFte ?? null, i.lang),
          ktoFte: formatFteInput(x?.ktoFte ?? null, i.lang),
        });
        setLoaded(true);
      })
      .catch(setError);
  }, [props.year]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    setError(null);
    const errs: Errors = {};
    const amount = parseAmountCents(texts.researchExpenditure, i.lang);
    if (Number.isNaN(amount)) errs['researchExpenditure'] = t('problem.badNumber', { example: i.lang === 'nl' ? '12.500.000' : '12,500,000' });
    const fte = (key: 'researchFte' | 'ktoFte') => {
      const v = parseFteHundredths(texts[key]);
      if (Number.isNaN(v)) errs[key] = t('mon.fteInvalid', { example: i.lang === 'nl' ? '12,5' : '12.5' });
      return v;
    };
    const researchFte = fte('researchFte');
    const ktoFte = fte('ktoFte');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      await monitorApi.saveOfficeInputs({ id: '', year: props.year, researchExpenditure: amount, researchFte, ktoFte });
      setSaved(true);
      props.onSaved();
    } catch (err) {
      const fe = fieldErrors(i, err);
      if (fe) setErrors(fe);
      else setError(err);
    }
  };
  const field = (key: keyof typeof texts, id: string, label: string) => (
    <Field id={id} label={label} error={errors[key]}>
      <NumberInput
        id={id}
        kind={key === 'researchExpenditure' ? 'amount' : 'hundredths'}
        disabled={!loaded}
        text={texts[key]}
        invalid={!!errors[key]}
        onText={(v) => setTexts({ ...texts, [key]: v })}
      />
    </Field>
  );
  return (
    <form class="card form" id="mon-inputs" onSubmit={submit} noValidate>
      <h2>{t('mon.inputs', { year: props.year })}</h2>
      <p class="field-hint">{t('mon.inputsHint')}</p>
      <ErrorBanner error={error} />
      {errors['year'] && <p class="field-error" role="alert">{errors['year']}</p>}
      {field('researchExpenditure', 'mon-res-exp', t('mon.researchExpenditure'))}
      {field('researchFte', 'mon-res-fte', t('mon.researchFte'))}
      {field('ktoFte', 'mon-kto-fte', t('mon.ktoFte'))}
      <div class="form-actions">
        <button type="submit" class="button button-primary" id="save-inputs" disabled={!loaded}>
          {t('common.save')}
        </button>
        {saved && (
          <span class="ok-text" role="status" id="mon-inputs-saved">
            {t('mon.inputsSaved', { year: props.year })}
          </span>
        )}
      </div>
    </form>
  );
}
