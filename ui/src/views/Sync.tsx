// One office out of several laptops: the shared-folder card of Settings, the Conflicts
// view, and the timer that syncs in the background while the folder is reachable.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, dataApi, syncApi, type RecordKind, type SyncConflict, type SyncOverview, type SyncReport } from '../api';
import { ConfirmBanner } from '../components/ConfirmBanner';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { useI18n, type I18n } from '../i18n';
import { fieldName, kindLabelOne } from '../lib/records';

/** How often the app syncs while a shared folder is chosen. */
export const SYNC_EVERY_MS = 3 * 60 * 1000;
/** Sent on `window` after a sync, with the report as detail. */
export const SYNCED_EVENT = 'kto-synced';

/** Syncs now (if a folder is chosen) and tells the rest of the window. */
export async function syncInBackground(): Promise<SyncReport | null> {
  const o = await syncApi.overview();
  if (!o.folder || !o.reachable) {
    window.dispatchEvent(new CustomEvent(SYNCED_EVENT, { detail: null }));
    return null;
  }
  const report = await syncApi.syncNow();
  window.dispatchEvent(new CustomEvent(SYNCED_EVENT, { detail: report }));
  return report;
}

/** Syncs at start and every few minutes; returns the overview for the sidebar. */
export function useBackgroundSync(enabled: boolean): SyncOverview | null {
  const [overview, setOverview] = useState<SyncOverview | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    const refresh = () =>
      syncApi
        .overview()
        .then((o) => !stopped && setOverview(o))
        .catch(() => undefined);
    const run = () => {
      // A folder that cannot be reached is no error: the office works as before.
      syncInBackground().catch(() => undefined).finally(refresh);
    };
    run();
    const timer = window.setInterval(run, SYNC_EVERY_MS);
    const onSynced = () => void refresh();
    window.addEventListener(SYNCED_EVENT, onSynced);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.removeEventListener(SYNCED_EVENT, onSynced);
    };
  }, [enabled]);
  return overview;
}

/** "Synced 14:02" for the sidebar. */
export function syncLine(i: I18n, o: SyncOverview | null): string | null {
  if (!o?.folder) return null;
  if (!o.reachable) return i.t('sync.sidebarOff');
  return o.lastSyncedAt ? i.t('sync.sidebarLast', { when: i.dateTime(o.lastSyncedAt) }) : null;
}

export function SyncCard(props: { dataDir: string }) {
  const i = useI18n();
  const { t } = i;
  const [overview, setOverview] = useState<SyncOverview | null>(null);
  const [folder, setFolder] = useState('');
  const [report, setReport] = useState<SyncReport | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<string | null>(null);

  const show = (o: SyncOverview) => {
    setOverview(o);
    setFolder((f) => f || o.folder || '');
  };
  useEffect(() => {
    syncApi.overview().then(show).catch(setError);
    const onSynced = (e: Event) => {
      const r = (e as CustomEvent<SyncReport | null>).detail;
      if (r) setReport(r);
      syncApi.overview().then(setOverview).catch(() => undefined);
    };
    window.addEventListener(SYNCED_EVENT, onSynced);
    return () => window.removeEventListener(SYNCED_EVENT, onSynced);
  }, []);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const useFolder = (path: string, confirmed = false) =>
    act(async () => {
      setConfirm(null);
      try {
        show(await syncApi.setFolder(path, confirmed));
      } catch (e) {
        if (e instanceof ApiFailure && e.kind === 'confirm') setConfirm(path);
        else throw e;
      }
    });
  const choose = () =>
    act(async () => {
      const picked = await dataApi.chooseFolder(folder || props.dataDir, t('sync.folder'));
      if (picked) {
        setFolder(picked);
        show(await syncApi.setFolder(picked));
      }
    });
  const syncNow = () =>
    act(async () => {
      const r = await syncApi.syncNow();
      setReport(r);
      window.dispatchEvent(new CustomEvent(SYNCED_EVENT, { detail: r }));
    });
  const snapshot = () =>
    act(async () => {
      setNotice(t('sync.snapshotWritten', { path: await syncApi.writeSnapshot() }));
    });

  const o = overview;
  const state = !o?.folder
    ? t('sync.none')
    : !o.reachable
      ? o.lastSyncedAt
        ? t('sync.unreachable', { when: i.dateTime(o.lastSyncedAt) })
        : t('sync.unreachableNever')
      : o.lastSyncedAt
        ? t('sync.last', { when: i.dateTime(o.lastSyncedAt) })
        : t('sync.never');
  return (
    <div class="card narrow form" id="sync-card" aria-labelledby="sync-title">
      <h2 id="sync-title">{t('sync.title')}</h2>
      <p class="muted">{t('sync.hint')}</p>
      <ErrorBanner error={error} />
      {confirm && (
        <ConfirmBanner
          id="sync-confirm"
          text={t('sync.confirm', { path: confirm })}
          yes={t('sync.confirmYes')}
          onYes={() => void useFolder(confirm, true)}
          onNo={() => setConfirm(null)}
        />
      )}
      {notice && (
        <div class="banner banner-ok" role="status" id="sync-notice">
          {notice}
        </div>
      )}
      <Field id="sync-folder" label={t('sync.folder')}>
        <div class="input-row">
          <input id="sync-folder" value={folder} onInput={(e) => setFolder(e.currentTarget.value)} />
          <button type="button" class="button" id="sync-choose" disabled={busy} onClick={() => void choose()}>
            {t('sync.choose')}
          </button>
        </div>
      </Field>
      {o && (
        <p id="sync-state" role="status">
          {state}
        </p>
      )}
      <div class="form-actions">
        <button type="button" class="button" id="sync-use" disabled={busy || !folder.trim() || folder === o?.folder} onClick={() => void useFolder(folder.trim())}>
          {t('sync.useFolder')}
        </button>
        <button type="button" class="button button-primary" id="sync-now" disabled={busy || !o?.folder} onClick={() => void syncNow()}>
          {busy ? t('sync.syncing') : t('sync.now')}
        </button>
        <button type="button" class="button" id="sync-snapshot" disabled={busy || !o?.reachable} onClick={() => void snapshot()}>
          {t('sync.snapshot')}
        </button>
        {o?.folder && (
          <button
            type="button"
            class="button"
            id="sync-stop"
            disabled={busy}
            onClick={() =>
              void act(async () => {
                setFolder('');
                show(await syncApi.setFolder(''));
              })
            }
          >
            {t('sync.stop')}
          </button>
        )}
      </div>
      {report && (
        <p class="muted" id="sync-report">
          {t('sync.report', { written: i.number(report.written), applied: i.number(report.applied), conflicts: i.number(report.conflicts) })}
        </p>
      )}
      {report && report.problems.length > 0 && (
        <>
          <h3>{t('sync.problems')}</h3>
          <ul id="sync-problems">
            {report.problems.map((p) => (
              <li>
                <strong>{p.waiting ? t('sync.waiting') : t('sync.refused')}</strong> · <code>{p.file}</code>: {p.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {o && (
        <dl class="facts" id="sync-facts">
          <dt>{t('sync.thisLaptop')}</dt>
          <dd>{o.status.name || '—'}</dd>
          <dt>{t('sync.code')}</dt>
          <dd id="sync-code">{o.status.code ?? t('sync.codeNone')}</dd>
          <dt>{t('sync.changes')}</dt>
          <dd>{i.number(o.status.changes)}</dd>
          <dt>{t('sync.devices')}</dt>
          <dd>
            {o.status.devices.length === 0 ? (
              t('sync.devicesNone')
            ) : (
              <ul id="sync-devices">
                {o.status.devices.map((d) => (
                  <li>
                    {t('sync.device', {
                      name: d.name || d.device.slice(0, 8),
                      count: i.number(d.lastSeq),
                      when: d.lastAt ? i.dateTime(d.lastAt) : '—',
                    })}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      )}
    </div>
  );
}

/** A conflict's stored value (JSON text) as the user reads it. */
export function conflictValue(i: I18n, json: string | null): string {
  if (json === null) return i.t('conf.gone');
  try {
    const v: unknown = JSON.parse(json);
    if (v === null) return '—';
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return i.number(v);
    if (typeof v === 'object') {
      return Object.entries(v as Record<string, unknown>)
        .filter(([k, x]) => x !== null && x !== '' && k !== 'id' && !k.endsWith('_at'))
        .map(([k, x]) => `${columnName(i, k)}: ${String(x)}`)
        .join(' · ');
    }
    return String(v);
  } catch {
    return json;
  }
}

/** A table column's name in words: `next_action` as the field "Next action". */
export function columnName(i: I18n, column: string): string {
  const key = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const text = fieldName(i, key);
  return text.startsWith('rf.') ? column.replace(/_/g, ' ') : text;
}

export function Conflicts(props: { onOpenRecord: (kind: RecordKind, id: string) => void; onChanged: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [list, setList] = useState<SyncConflict[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => syncApi.conflicts().then(setList).catch(setError);
  useEffect(() => {
    void load();
    window.addEventListener(SYNCED_EVENT, load);
    return () => window.removeEventListener(SYNCED_EVENT, load);
  }, []);
  const resolve = async (id: number, swap: boolean) => {
    setError(null);
    try {
      setList(await syncApi.resolve(id, swap));
      props.onChanged();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="view" aria-labelledby="conflicts-title">
      <header class="view-header">
        <h1 id="conflicts-title">{t('conf.title')}</h1>
      </header>
      <p class="muted">{t('conf.intro')}</p>
      <ErrorBanner error={error} />
      {list && list.length === 0 && (
        <p class="card" id="conflicts-none">
          {t('conf.none')}
        </p>
      )}
      <ul class="conflict-list" id="conflicts">
        {(list ?? []).map((c) => {
          const record = c.title ?? (c.recordKind ? kindLabelOne(i, c.recordKind) : c.table);
          const here = c.localAt ? t('conf.here', { who: c.localDevice, when: i.dateTime(c.localAt) }) : t('conf.hereNoTime', { who: c.localDevice });
          const there = t('conf.there', { who: c.remoteDevice, when: i.dateTime(c.remoteAt) });
          return (
            <li class="card conflict" data-conflict={c.id}>
              <h2>{c.kind === 'field' ? t('conf.field', { field: columnName(i, c.column ?? ''), record }) : t('conf.deleted', { record })}</h2>
              <dl class="facts">
                <dt>
                  {here}
                  {c.winner === 'local' && <span class="badge">{t('conf.kept')}</span>}
                </dt>
                <dd class="conflict-local">{conflictValue(i, c.localValue)}</dd>
                <dt>
                  {there}
                  {c.winner === 'remote' && <span class="badge">{t('conf.kept')}</span>}
                </dt>
                <dd class="conflict-remote">{conflictValue(i, c.remoteValue)}</dd>
              </dl>
              {c.kind === 'editDelete' && <p class="muted">{t('conf.keptDeleted')}</p>}
              <div class="form-actions">
                <button type="button" class="button button-primary conflict-accept" onClick={() => void resolve(c.id, false)}>
                  {t('conf.accept')}
                </button>
                {c.kind === 'field' && (
                  <button type="button" class="button conflict-swap" onClick={() => void resolve(c.id, true)}>
                    {t('conf.swap')}
                  </button>
                )}
                {c.recordKind && c.recordId && c.kind === 'field' && (
                  <button type="button" class="button conflict-open" onClick={() => props.onOpenRecord(c.recordKind as RecordKind, c.recordId as string)}>
                    {t('conf.open')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
