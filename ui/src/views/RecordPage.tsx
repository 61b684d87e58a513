// One record of a generic kind: its fields (read or edit), the records it links to and
// those linking to it (with its parts, such as a consortium's contributions), the
// PPS-toeslag of a consortium, its timeline with notes, and deletion that asks first.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  ApiFailure,
  type Activity,
  type Attachment,
  type ConsortiumToeslag,
  type FieldSpec,
  type KindSpec,
  type LinkedRecord,
  type Links,
  type RecordKind,
  type RecordRef,
  type StoredRecord,
  type Values,
} from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { NumberInput } from '../components/NumberInput';
import { Modal } from '../components/Modal';
import { useI18n } from '../i18n';
import { problemText } from '../lib/labels';
import { KINDS_WITH_DEADLINES, RecordDeadlines } from './RecordDeadlines';
import { fieldName, inputText, kindLabel, kindLabelOne, optionLabel, parseInput, showValue } from '../lib/records';

export interface RecordPageProps {
  specs: KindSpec[];
  kind: RecordKind;
  id: string | null;
  /** Values to start a new record with (the parent of a new part). */
  prefill?: Values | undefined;
  /** Opens the form with the focus in this field (a warning's "fix it here"). */
  focusField?: string | undefined;
  onOpen: (kind: RecordKind, id: string) => void;
  onNew: (kind: RecordKind, prefill: Values) => void;
  onBack: (kind: RecordKind) => void;
  /** Extra content for a kind, such as a spin-off's deal terms. */
  extra?: (record: StoredRecord, reload: () => void) => ComponentChildren;
}

export function RecordPage(props: RecordPageProps) {
  const i = useI18n();
  const { t } = i;
  const spec = props.specs.find((s) => s.kind === props.kind);
  const [record, setRecord] = useState<StoredRecord | null>(null);
  const [links, setLinks] = useState<Links | null>(null);
  const [timeline, setTimeline] = useState<Activity[]>([]);
  const [toeslag, setToeslag] = useState<ConsortiumToeslag[]>([]);
  const [editing, setEditing] = useState(props.id === null || props.focusField !== undefined);
  const [error, setError] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState<LinkedRecord[] | null>(null);

  const load = async (id: string) => {
    try {
      const [r, l, h] = await Promise.all([api.getRecord(props.kind, id), api.getLinks(props.kind, id), api.getTimeline(id)]);
      setRecord(r);
      setLinks(l);
      setTimeline(h);
      if (props.kind === 'consortium') setToeslag(await api.consortiumToeslag(id));
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  useEffect(() => {
    setEditing(props.id === null);
    setRecord(null);
    setLinks(null);
    setTimeline([]);
    setToeslag([]);
    setConfirmDelete(null);
    if (props.id) void load(props.id);
  }, [props.kind, props.id]);

  if (!spec) return null;

  const remove = async (confirmed: boolean) => {
    if (!record) return;
    try {
      await api.deleteRecord(props.kind, record.id, confirmed);
      props.onBack(props.kind);
    } catch (e) {
      // Unconfirmed: the backend asks first. Confirmed and still refused (a deal or an
      // inventor names it): say so in the user's language instead of asking again.
      if (e instanceof ApiFailure && e.kind === 'conflict' && !confirmed && links) setConfirmDelete(links.incoming);
      else {
        setConfirmDelete(null);
        setError(e instanceof ApiFailure && e.kind === 'conflict' ? new ApiFailure('conflict', t('records.deleteRefused', { title: record.title })) : e);
      }
    }
  };
  // Records that cannot be without this one (a contribution's partner, a founder's
  // person): deleting is refused until they point elsewhere.
  // Records that cannot do without this one: a required link, or a disclosure or deal
  // (typed records whose links are changed on their own forms).
  const needed = (confirmDelete ?? []).filter((l) => {
    if (l.part) return false;
    const spec = props.specs.find((s) => s.kind === l.kind);
    return !spec || !!spec.fields.find((f) => f.key === l.field)?.required;
  });

  const parts = props.specs.filter((s) => s.parent && s.fields.some((f) => f.key === s.parent && f.type === 'link' && f.kind === props.kind));

  return (
    <section class="view record-view" aria-labelledby="record-title">
      <header class="view-header">
        <button type="button" class="link-button" onClick={() => props.onBack(props.kind)}>
          ← {t('records.back', { kind: kindLabel(i, props.kind).toLowerCase() })}
        </button>
        <h1 id="record-title">{record ? record.title : t('records.new', { kind: kindLabelOne(i, props.kind).toLowerCase() })}</h1>
        <p class="muted">{kindLabelOne(i, props.kind)}</p>
      </header>
      {error !== null && !(error instanceof ApiFailure && error.kind === 'validation') && <ErrorBanner error={error} />}
      {confirmDelete && record && (
        <Modal id="delete-dialog" role="alertdialog" labelledBy="delete-title" onClose={() => setConfirmDelete(null)}>
          <h2 id="delete-title">{t('records.deleteConfirmTitle', { title: record.title })}</h2>
          <p>{needed.length > 0 ? t('records.deleteNeeded') : confirmDelete.length > 0 ? t('records.deleteConfirm') : t('records.deleteSimple')}</p>
          <ul>
            {(needed.length > 0 ? needed : confirmDelete).map((l) => (
              <li>
                {kindLabelOne(i, l.kind)}: <LinkButton kind={l.kind} id={l.id} title={l.title || '—'} onOpen={props.onOpen} /> ({fieldName(i, l.field).toLowerCase()})
              </li>
            ))}
          </ul>
          <div class="form-actions">
            {needed.length === 0 && (
              <button type="button" class="button button-danger" id="confirm-delete" onClick={() => void remove(true)}>
                {t('records.deleteYes')}
              </button>
            )}
            <button type="button" class="button" onClick={() => setConfirmDelete(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </Modal>
      )}
      {editing ? (
        // An existing record's form waits for the record: its fields start from its values.
        (props.id === null || record) && (
        <RecordForm
          spec={spec}
          record={record}
          prefill={props.prefill}
          focusField={props.focusField}
          onSaved={(r) => {
            setEditing(false);
            if (props.id === null) props.onOpen(props.kind, r.id);
            else void load(r.id);
          }}
          onCancel={() => (record ? setEditing(false) : props.onBack(props.kind))}
        />
        )
      ) : (
        record && (
          <div class="detail-grid">
            <div class="card">
              <dl class="facts" id="record-fields">
                {spec.fields.map((f) => {
                  const v = record.values[f.key];
                  if (v === undefined) return null;
                  return (
                    <>
                      <dt>{fieldName(i, f.key)}</dt>
                      <dd data-field={f.key}>
                        {f.type === 'link' ? (
                          <LinkButton kind={f.kind} id={String(v)} title={record.linkTitles[f.key] ?? String(v)} onOpen={props.onOpen} />
                        ) : f.type === 'longText' ? (
                          <p class="prewrap">{String(v)}</p>
                        ) : (
                          showValue(i, f, v)
                        )}
                      </dd>
                    </>
                  );
                })}
              </dl>
              <div class="form-actions">
                <button type="button" class="button button-primary" id="edit-record" onClick={() => setEditing(true)}>
                  {t('common.edit')}
                </button>
                <button type="button" class="button button-danger" id="delete-record" onClick={() => (links && links.incoming.length > 0 ? setConfirmDelete(links.incoming) : setConfirmDelete([]))}>
                  {t('records.delete')}
                </button>
              </div>
              {props.extra?.(record, () => void api.getTimeline(record.id).then(setTimeline))}
            </div>
            <div>
              {links && <LinksCard links={links} parts={parts} record={record} onOpen={props.onOpen} onNew={props.onNew} />}
              {props.kind === 'consortium' && <ToeslagCard years={toeslag} />}
              {KINDS_WITH_DEADLINES.includes(props.kind) && <RecordDeadlines kind={props.kind} id={record.id} version={record.updatedAt} />}
              <AttachmentsCard
                kind={props.kind}
                recordId={record.id}
                onChange={() => void api.getTimeline(record.id).then(setTimeline)}
              />
              <Timeline
                items={timeline}
                spec={spec}
                onNote={async (text) => {
                  await api.addNote(props.kind, record.id, text);
                  setTimeline(await api.getTimeline(record.id));
                }}
              />
            </div>
          </div>
        )
      )}
    </section>
  );
}

function LinkButton(props: { kind: RecordKind; id: string; title: string; onOpen: (kind: RecordKind, id: string) => void }) {
  return (
    <button type="button" class="link-button" data-kind={props.kind} onClick={() => props.onOpen(props.kind, props.id)}>
      {props.title}
    </button>
  );
}

function LinksCard(props: {
  links: Links;
  parts: KindSpec[];
  record: StoredRecord;
  onOpen: (kind: RecordKind, id: string) => void;
  onNew: (kind: RecordKind, prefill: Values) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const { outgoing, incoming } = props.links;
  const kinds = [...new Set(incoming.map((l) => l.kind))];
  return (
    <div class="card" id="record-links">
      <h2>{t('records.links')}</h2>
      {outgoing.length === 0 && incoming.length === 0 && <p class="muted">{t('records.noLinks')}</p>}
      {outgoing.length > 0 && (
        <>
          <h3>{t('records.linksTo')}</h3>
          <ul class="links">
            {outgoing.map((l) => (
              <li>
                <span class="muted small">{fieldName(i, l.field)}: </span>
                <LinkButton kind={l.kind} id={l.id} title={l.title} onOpen={props.onOpen} />
              </li>
            ))}
          </ul>
        </>
      )}
      {kinds.map((k) => (
        <>
          <h3>
            {kindLabel(i, k)} ({incoming.filter((l) => l.kind === k).length})
          </h3>
          <ul class="links">
            {incoming
              .filter((l) => l.kind === k)
              .map((l) => (
                <li>
                  <LinkButton kind={l.kind} id={l.id} title={l.title || '—'} onOpen={props.onOpen} />
                </li>
              ))}
          </ul>
        </>
      ))}
      <div class="form-actions">
        {props.parts.map((p) => (
          <button type="button" class="button add-part" data-kind={p.kind} onClick={() => props.onNew(p.kind, { [p.parent ?? '']: props.record.id })}>
            + {t('records.addPart', { kind: kindLabelOne(i, p.kind).toLowerCase() })}
          </button>
        ))}
      </div>
    </div>
  );
}

function AttachmentsCard(props: { kind: RecordKind; recordId: string; onChange: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [files, setFiles] = useState<Attachment[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const reload = () => api.listAttachments(props.recordId).then(setFiles).catch(setError);
  useEffect(() => {
    void reload();
  }, [props.recordId]);
  const add = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      for (const file of Array.from(list)) await api.addAttachment(props.kind, props.recordId, file);
      await reload();
      props.onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const size = (n: number) => (n < 1024 * 1024 ? `${i.number(Math.max(1, Math.round(n / 1024)))} kB` : `${i.number(n / 1048576, 1)} MB`);
  return (
    <div class="card" id="attachments">
      <h2>{t('records.attachments')}</h2>
      {error !== null && <ErrorBanner error={error} />}
      {opened && <p class="muted small">{t('records.openedCopy', { path: opened })}</p>}
      {files.length === 0 ? (
        <p class="muted">{t('records.noAttachments')}</p>
      ) : (
        <ul class="links">
          {files.map((f) => (
            <li class="attachment">
              <button
                type="button"
                class="link-button"
                onClick={() =>
                  api
                    .openAttachment(f.id)
                    .then(setOpened)
                    .catch(setError)
                }
              >
                {f.fileName}
              </button>
              <span class="muted small">
                {' '}
                {size(f.size)} · {i.dateTime(f.addedAt)} · {f.addedBy}{' '}
              </span>
              <button
                type="button"
                class="button button-quiet"
                aria-label={t('records.removeAttachment', { name: f.fileName })}
                onClick={() =>
                  api
                    .deleteAttachment(f.id)
                    .then(reload)
                    .then(props.onChange)
                    .catch(setError)
                }
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <label class="button file-button">
        {busy ? t('common.saving') : t('records.addAttachment')}
        <input type="file" id="attachment-input" multiple disabled={busy} onChange={(e) => void add((e.target as HTMLInputElement).files)} />
      </label>
    </div>
  );
}

function ToeslagCard(props: { years: ConsortiumToeslag[] }) {
  const i = useI18n();
  const { t } = i;
  return (
    <div class="card" id="toeslag">
      <h2>{t('records.toeslag')}</h2>
      {props.years.length === 0 ? (
        <p class="muted">{t('records.toeslagNone')}</p>
      ) : (
        <table class="simple-table">
          <thead>
            <tr>
              <th scope="col">{t('rf.year')}</th>
              <th scope="col" class="num">{t('records.toeslagBase')}</th>
              <th scope="col" class="num">{t('records.toeslagAmount')}</th>
            </tr>
          </thead>
          <tbody>
            {props.years.map((y) => (
              <tr>
                <td>
                  {y.year}
                  {!y.meetsCompositionRule && <span class="muted small"> · {t('records.toeslagComposition')}</span>}
                </td>
                <td class="num">{i.euros(y.totalBase)}</td>
                <td class="num" data-year={y.year}>{i.euros(y.totalAmount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Timeline(props: { items: Activity[]; spec: KindSpec; onNote: (text: string) => Promise<void> }) {
  const i = useI18n();
  const { t } = i;
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const value = (key: string | null, v: string | null) => {
    const f = props.spec.fields.find((x) => x.key === key);
    if (v === null) return t('history.empty');
    if (!f || f.type === 'link') return v;
    if (f.type === 'money' || f.type === 'integer') return showValue(i, f, Number(v));
    if (f.type === 'bool') return showValue(i, f, v === 'yes');
    return showValue(i, f, v);
  };
  return (
    <div class="card" id="timeline">
      <h2>{t('records.timeline')}</h2>
      <form
        class="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          props
            .onNote(note)
            .then(() => {
              setNote('');
              setError(null);
            })
            .catch(setError);
        }}
      >
        <label for="note-text">{t('records.note')}</label>
        <textarea id="note-text" rows={2} value={note} placeholder={t('records.notePlaceholder')} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        {error !== null && <ErrorBanner error={error} />}
        <button type="submit" class="button" id="add-note" disabled={note.trim() === ''}>
          {t('records.noteSave')}
        </button>
      </form>
      <ol class="timeline">
        {props.items.map((a) => (
          <li class={`timeline-entry entry-${a.action}`}>
            <span class="muted small">{i.dateTime(a.at)} · </span>
            {a.action === 'noted' ? (
              <>
                <strong>{t('records.noted', { actor: a.actor })}</strong>
                <p class="prewrap note-text">{a.newValue}</p>
              </>
            ) : a.action === 'created' ? (
              t('records.created', { actor: a.actor })
            ) : a.action === 'deleted' ? (
              t('records.deletedEvent', { actor: a.actor })
            ) : a.action === 'synced' ? (
              t('history.synced', { device: a.newValue ?? '' })
            ) : (
              <>
                {t('records.changed', { actor: a.actor, field: fieldName(i, a.field ?? '').toLowerCase() })}:{' '}
                <del>{value(a.field, a.oldValue)}</del> → <ins>{value(a.field, a.newValue)}</ins>
              </>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}

function RecordForm(props: {
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
        setErrors(Object.fromEntries(err.fields.map((fe) => [fe.field, problemText(i, fe)])));
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

function Input(props: {
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
function LinkPicker(props: { id: string; kind: RecordKind; value: string; title?: string | undefined; onChange: (id: string) => void }) {
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
