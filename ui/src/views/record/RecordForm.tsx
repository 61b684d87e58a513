// The form of a record of a generic kind: one input per field from the kind's spec, links
// chosen by search, and every problem shown beside its field.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiFailure,
  type FieldSpec,
  type KindSpec,
  type RecordKind,
  type RecordRef,
  type StoredRecord,
  type Values,
} from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { NumberInput } from '../../components/NumberInput';
import { useI18n } from '../../i18n';
import { fieldMessages, problemText } from '../../lib/labels';
import { fieldName, inputText, optionLabel, parseInput } from '../../lib/records';

export function RecordForm(props: {
  spec: KindSpec;
  record: StoredRecord | null;
  prefill?: Values | undefined;
  focusField?: string | undefined;
  onSaved: (r: StoredRecord) => void;
  onCancel: () => void;
}) {
  const i = useI18n();
  const { t } = i;
  const { spec } = props;
  const start: Values = props.record?.values ?? props.prefill ?? {};
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(spec.fields.filter((f) => f.type !== 'bool').map((f) => [f.key, inputText(i, f, start[f.key])])),
  );
  const [flags, setFlags] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(spec.fields.filter((f) => f.type === 'bool').map((f) => [f.key, start[f.key] === true])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Opened to fix one field: the focus starts there (a link picker's search box first).
  useEffect(() => {
    if (!props.focusField) return;
    const el = formRef.current?.querySelector<HTMLElement>(`#rf-${props.focusField}-search, #rf-${props.focusField}`);
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  }, [props.focusField, props.record?.id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const values: Values = {};
    const local: Record<string, string> = {};
    for (const f of spec.fields) {
      if (f.type === 'bool') {
        values[f.key] = flags[f.key] ?? false;
        continue;
      }
      const v = parseInput(i, f, texts[f.key] ?? '');
      if (v instanceof Error) local[f.key] = v.message;
      else if (v !== undefined) values[f.key] = v;
    }
    if (Object.keys(local).length > 0) {
      // Every problem at once: what could not be read here, and what the rules say of the rest.
      const rest = await api.checkRecord(spec.kind, values).catch(() => []);
      setErrors({ ...Object.fromEntries(rest.filter((fe) => !(fe.field in local)).map((fe) => [fe.field, problemText(i, fe)])), ...local });
      return;
    }
    setSaving(true);
    try {
      const saved = props.record ? await api.updateRecord(spec.kind, props.record.id, values) : await api.createRecord(spec.kind, values);
      setErrors({});
      props.onSaved(saved);
    } catch (err) {
      if (err instanceof ApiFailure && err.kind === 'validation') {
        setErrors(fieldMessages(i, err));
        setFailure(null);
      } else setFailure(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="card form record-form" id="record-form" ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
      {failure !== null && <ErrorBanner error={failure} />}
      {Object.keys(errors).length > 0 && (
        <div class="banner banner-error" role="alert" id="record-form-errors">
          {t('form.fixFields')}
        </div>
      )}
      <div class="grid">
        {spec.fields.map((f) => (
          <Field id={`rf-${f.key}`} label={fieldName(i, f.key)} required={f.required} error={errors[f.key]} class={f.type === 'longText' ? 'span-3' : ''}>
            <Input
              field={f}
              text={texts[f.key] ?? ''}
              flag={flags[f.key] ?? false}
              title={props.record?.linkTitles[f.key]}
              onText={(v) => setTexts((s) => ({ ...s, [f.key]: v }))}
              onFlag={(v) => setFlags((s) => ({ ...s, [f.key]: v }))}
            />
          </Field>
        ))}
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary" id="save-record" disabled={saving}>
          {saving ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" class="button" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function Input(props: {
  field: FieldSpec;
  text: string;
  flag: boolean;
  title?: string | undefined;
  onText: (v: string) => void;
  onFlag: (v: boolean) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const f = props.field;
  const id = `rf-${f.key}`;
  const onInput = (e: Event) => props.onText((e.target as HTMLInputElement).value);
  switch (f.type) {
    case 'bool':
      return <input type="checkbox" id={id} checked={props.flag} onChange={(e) => props.onFlag((e.target as HTMLInputElement).checked)} />;
    case 'choice':
      return (
        <select id={id} value={props.text} onChange={onInput}>
          <option value="">{t('records.pick')}</option>
          {f.options.map((o) => (
            <option value={o}>{optionLabel(i, f.key, o)}</option>
          ))}
        </select>
      );
    case 'longText':
      return <textarea id={id} rows={4} value={props.text} onInput={onInput} />;
    case 'link':
      return <LinkPicker id={id} kind={f.kind} value={props.text} title={props.title} onChange={props.onText} />;
    case 'date':
      return <input id={id} value={props.text} onInput={onInput} placeholder={t('form.datePlaceholder')} inputMode="numeric" />;
    case 'money':
      return <NumberInput id={id} kind="amount" text={props.text} onText={props.onText} placeholder="€" />;
    case 'integer':
      return <NumberInput id={id} kind="whole" text={props.text} onText={props.onText} />;
    default:
      return <input id={id} value={props.text} onInput={onInput} maxLength={f.max} />;
  }
}

/** Picks a record of `kind`: a search box narrowing a list fetched from the backend. */
export function LinkPicker(props: { id: string; kind: RecordKind; value: string; title?: string | undefined; onChange: (id: string) => void }) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const [options, setOptions] = useState<RecordRef[]>([]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api
        .findRecords(props.kind, filter, 50)
        .then((r) => live && setOptions(r))
        .catch(() => undefined);
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [props.kind, filter]);
  const current = props.value && !options.some((o) => o.id === props.value) ? [{ kind: props.kind, id: props.value, title: props.title ?? props.value }] : [];
  return (
    <div class="link-picker">
      <input type="search" id={`${props.id}-search`} placeholder={t('records.pickSearch')} value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      <select id={props.id} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        <option value="">{t('records.pick')}</option>
        {[...current, ...options].map((o) => (
          <option value={o.id}>{o.title}</option>
        ))}
      </select>
    </div>
  );
}
