// The cards beside a record: its links both ways, its attachments and a consortium's PPS-toeslag.
import { useEffect, useState } from 'preact/hooks';
import {
  api,
  type Attachment,
  type ConsortiumToeslag,
  type KindSpec,
  type Links,
  type RecordKind,
  type StoredRecord,
  type Values,
} from '../../api';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useI18n } from '../../i18n';
import { fieldName, kindLabel, kindLabelOne } from '../../lib/records';

export function LinkButton(props: { kind: RecordKind; id: string; title: string; onOpen: (kind: RecordKind, id: string) => void }) {
  return (
    <button type="button" class="link-button" data-kind={props.kind} onClick={() => props.onOpen(props.kind, props.id)}>
      {props.title}
    </button>
  );
}

export function LinksCard(props: {
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

export function AttachmentsCard(props: { kind: RecordKind; recordId: string; onChange: () => void }) {
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

export function ToeslagCard(props: { years: ConsortiumToeslag[] }) {
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
