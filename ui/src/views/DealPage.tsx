// One deal: its form (title, stage, organisation, value, responsible, next action and due
// date, notes, and the reason when lost) and its full history.
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  ApiFailure,
  type DealDetail,
  type DealInput,
  type Organisation,
  type Pipeline,
  type Stage,
} from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { NumberInput } from '../components/NumberInput';
import { useI18n } from '../i18n';
import { fieldLabel, fieldMessages, pipelineLabel, stageName } from '../lib/labels';
import { formatAmountInput, formatDateInput, parseAmountCents, parseDate } from '../lib/parse';
import { useFocusOnce } from '../lib/focus';

interface FormState {
  title: string;
  stageId: string;
  organisationId: string;
  value: string;
  owner: string;
  nextAction: string;
  nextActionDue: string;
  lostReason: string;
  notes: string;
}

export function DealPage(props: { id: string | null; pipeline: Pipeline; onDone: (p: Pipeline) => void }) {
  const i = useI18n();
  const { t } = i;
  const [detail, setDetail] = useState<DealDetail | null>(null);
  const [stages, setStages] = useState<Stage[]>([]);
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [form, setForm] = useState<FormState | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const pipeline = detail?.deal.pipeline ?? props.pipeline;
  const focusTitle = useFocusOnce<HTMLInputElement>();

  useEffect(() => {
    api.listOrganisations().then(setOrganisations).catch(() => undefined);
    if (props.id) {
      api
        .getDeal(props.id)
        .then((d) => {
          setDetail(d);
          setStages(d.stages);
          const x = d.deal;
          setForm({
            title: x.title,
            stageId: x.stageId,
            organisationId: x.organisationId ?? '',
            value: formatAmountInput(x.value, i.lang),
            owner: x.owner,
            nextAction: x.nextAction,
            nextActionDue: formatDateInput(x.nextActionDue, i.lang),
            lostReason: x.lostReason ?? '',
            notes: x.notes,
          });
        })
        .catch(setFailure);
    } else {
      api
        .listStages(props.pipeline)
        .then((s) => {
          setStages(s);
          setForm({
            title: '',
            stageId: s[0]?.id ?? '',
            organisationId: '',
            value: '',
            owner: '',
            nextAction: '',
            nextActionDue: '',
            lostReason: '',
            notes: '',
          });
        })
        .catch(setFailure);
    }
  }, [props.id, props.pipeline]);

  if (!form) return <section class="view">{failure ? <ErrorBanner error={failure} /> : <p class="muted">{t('common.loading')}</p>}</section>;

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setForm({ ...form, [k]: v });
  const stage = stages.find((s) => s.id === form.stageId);

  const submit = async (e: Event) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    const value = parseAmountCents(form.value, i.lang);
    if (Number.isNaN(value)) {
      const negative = form.value.trim().startsWith('-') && !Number.isNaN(parseAmountCents(form.value.trim().slice(1), i.lang));
      local.value = negative ? t('problem.negative') : t('problem.badNumber', { example: i.lang === 'nl' ? '12.500,00' : '12,500.00' });
    }
    const due = form.nextActionDue.trim() ? parseDate(form.nextActionDue) : null;
    if (form.nextActionDue.trim() && !due) local.nextActionDue = t('problem.badDate', { example: formatDateInput('2026-12-31', i.lang) });
    // What the backend would refuse too, named in the same round as the fields above.
    if (!form.title.trim()) local.title = t('problem.required');
    if (stage?.outcome === 'lost' && !form.lostReason.trim()) local.lostReason = t('problem.reasonRequired');
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length) {
      setFailure(new ApiFailure('validation', ''));
      return;
    }
    const input: DealInput = {
      pipeline,
      title: form.title,
      stageId: form.stageId,
      organisationId: form.organisationId || null,
      value: Number.isNaN(value) ? null : value,
      owner: form.owner,
      nextAction: form.nextAction,
      nextActionDue: due,
      lostReason: form.lostReason,
      notes: form.notes,
    };
    try {
      if (props.id) await api.updateDeal(props.id, input);
      else await api.createDeal(input);
      props.onDone(pipeline);
    } catch (err) {
      if (err instanceof ApiFailure && err.kind === 'validation') {
        setErrors(fieldMessages(i, err));
      }
      setFailure(err);
    }
  };

  return (
    <section class="view" aria-labelledby="deal-title">
      <header class="view-header">
        <div>
          <p class="muted">{pipelineLabel(i, pipeline)}</p>
          <h1 id="deal-title">{detail ? detail.deal.title : t('deal.newTitle', { pipeline: pipelineLabel(i, pipeline) })}</h1>
        </div>
        <div class="toolbar">
          <button type="button" class="button" id="back-to-board" onClick={() => props.onDone(pipeline)}>
            {t('common.cancel')}
          </button>
        </div>
      </header>
      <ErrorBanner error={failure} />
      <div class={detail ? 'detail-grid' : ''}>
        <form class="form card" id="deal-form" onSubmit={submit} noValidate>
          <div class="grid">
            <Field id="d-title" label={t('field.title')} required error={errors.title} class="span-2">
              <input id="d-title" value={form.title} onInput={(e) => set('title', e.currentTarget.value)} ref={focusTitle} />
            </Field>
            <Field id="d-stage" label={t('field.stageId')} error={errors.stageId}>
              <select id="d-stage" value={form.stageId} onChange={(e) => set('stageId', e.currentTarget.value)}>
                {stages.map((s) => (
                  <option value={s.id}>{stageName(i, s)}</option>
                ))}
              </select>
            </Field>
            <Field id="d-org" label={t('field.organisationOptional')} error={errors.organisationId}>
              <select id="d-org" value={form.organisationId} onChange={(e) => set('organisationId', e.currentTarget.value)}>
                <option value="">{t('form.noOrganisation')}</option>
                {organisations.map((o) => (
                  <option value={o.id}>{o.name}</option>
                ))}
              </select>
            </Field>
            <Field id="d-value" label={t('field.value')} error={errors.value}>
              <NumberInput id="d-value" kind="amount" text={form.value} invalid={!!errors.value} onText={(v) => set('value', v)} />
            </Field>
            <Field id="d-owner" label={t('field.owner')} error={errors.owner}>
              <input id="d-owner" value={form.owner} onInput={(e) => set('owner', e.currentTarget.value)} />
            </Field>
            <Field id="d-next" label={t('field.nextAction')} error={errors.nextAction} class="span-2">
              <input id="d-next" value={form.nextAction} onInput={(e) => set('nextAction', e.currentTarget.value)} />
            </Field>
            <Field id="d-due" label={t('field.nextActionDue')} error={errors.nextActionDue}>
              <input
                id="d-due"
                inputMode="numeric"
                placeholder={t('form.datePlaceholder')}
                value={form.nextActionDue}
                onInput={(e) => set('nextActionDue', e.currentTarget.value)}
              />
            </Field>
            {stage?.outcome === 'lost' && (
              <Field id="d-lost" label={t('field.lostReason')} required error={errors.lostReason} class="span-3">
                <textarea id="d-lost" rows={2} value={form.lostReason} onInput={(e) => set('lostReason', e.currentTarget.value)} />
              </Field>
            )}
            <Field id="d-notes" label={t('field.notes')} error={errors.notes} class="span-3">
              <textarea id="d-notes" rows={4} value={form.notes} onInput={(e) => set('notes', e.currentTarget.value)} />
            </Field>
          </div>
          <div class="form-actions">
            <button type="submit" class="button button-primary" id="save-deal">
              {t('common.save')}
            </button>
          </div>
        </form>
        {detail && (
          <div class="card">
            <h2>{t('detail.history')}</h2>
            <ol class="timeline" id="deal-history">
              {detail.history.map((a) => (
                <li class={`timeline-entry entry-${a.action}`}>
                  <time dateTime={a.at}>{i.dateTime(a.at)}</time>
                  <p>
                    {a.action === 'created'
                      ? t('history.created', { actor: a.actor })
                      : a.action === 'synced'
                        ? t('history.synced', { device: a.newValue ?? '' })
                        : a.action === 'stageChanged'
                        ? t('history.stageMoved', { actor: a.actor })
                        : t('history.updated', { actor: a.actor, field: fieldLabel(i, a.field ?? '') })}
                  </p>
                  {a.action !== 'created' && a.action !== 'synced' && (
                    <p class="change">
                      <span class="old">{dealHistoryValue(i, stages, a.field, a.oldValue)}</span> →{' '}
                      <span class="new">{dealHistoryValue(i, stages, a.field, a.newValue)}</span>
                    </p>
                  )}
                </li>
              ))}
            </ol>
          </div>
        )}
      </div>
    </section>
  );
}

/** Stage changes are stored with the stage's name or code at the time; show today's name where it still matches. */
function dealHistoryValue(i: ReturnType<typeof useI18n>, stages: Stage[], field: string | null, value: string | null): string {
  if (value === null || value === '') return i.t('history.empty');
  if (field === 'stage') {
    const s = stages.find((x) => x.code === value || x.name === value);
    return s ? stageName(i, s) : value;
  }
  if (field === 'nextActionDue') return i.date(value);
  return value;
}
