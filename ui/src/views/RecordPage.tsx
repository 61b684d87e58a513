// One record of a generic kind: its fields (read or edit), the records it links to and
// those linking to it (with its parts, such as a consortium's contributions), the
// PPS-toeslag of a consortium, its timeline with notes, and deletion that asks first.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  ApiFailure,
  type Activity,
  type ConsortiumToeslag,
  type KindSpec,
  type LinkedRecord,
  type Links,
  type RecordKind,
  type StoredRecord,
  type Values,
} from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { Modal } from '../components/Modal';
import { useI18n } from '../i18n';
import { KINDS_WITH_DEADLINES, RecordDeadlines } from './RecordDeadlines';
import { AttachmentsCard, LinkButton, LinksCard, ToeslagCard } from './record/cards';
import { RecordForm } from './record/RecordForm';
import { Timeline } from './record/Timeline';
import { fieldName, kindLabel, kindLabelOne, showValue } from '../lib/records';

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
