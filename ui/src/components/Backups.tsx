// The backups card: the list with date, kind and size, "Back up now" and "Restore…" with
// a confirmation. Shown in Settings and, in safe mode, on the open-failed screen, where it
// offers the newest good backup first.
import { useEffect, useState } from 'preact/hooks';
import { dataApi, type BackupInfo, type BackupKind, type BackupList } from '../api';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { ErrorBanner } from './ErrorBanner';
import { Modal } from './Modal';

const KIND_KEYS: Record<BackupKind, MessageKey> = {
  auto: 'data.kind.auto',
  manual: 'data.kind.manual',
  beforeRestore: 'data.kind.beforeRestore',
};

/** A file size in the user's locale: kB below a megabyte, MB above. */
export function sizeText(i: I18n, bytes: number): string {
  return bytes < 1_000_000
    ? i.t('data.sizeKb', { n: i.number(Math.max(1, Math.round(bytes / 1000))) })
    : i.t('data.sizeMb', { n: i.number(bytes / 1_000_000, 1) });
}

/** `openFailed`: on the open-failed screen, where the card shows only in safe mode. */
export function Backups(props: { openFailed?: boolean; onRestored?: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [list, setList] = useState<BackupList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = () =>
    dataApi
      .listBackups()
      .then(setList)
      .catch((e: unknown) => setError(e));

  useEffect(() => {
    void load();
  }, []);

  const backupNow = async () => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const made = await dataApi.backupNow();
      setNotice(t('data.backedUp', { name: made.name }));
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const restore = async (b: BackupInfo) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const outcome = await dataApi.restoreBackup(b.name, true);
      const lines = [t('data.restored', { date: i.dateTime(b.createdAt) })];
      if (outcome.movedAside) lines.push(t('data.movedAside', { path: outcome.movedAside }));
      setNotice(lines.join(' '));
      setConfirming(null);
      await load();
      props.onRestored?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const damaged = list?.damaged === true;
  const newestGood = list?.backups.find((b) => b.name === list.newestGood) ?? null;

  if (props.openFailed && (!list || !damaged)) return error ? <ErrorBanner error={error} /> : null;

  return (
    <div class="card" id="backups" aria-labelledby="backups-title">
      <h2 id="backups-title">{damaged ? t('data.safeTitle') : t('data.backups')}</h2>
      <p class="muted">{damaged ? t('data.safeHint') : t('data.backupsHint', { folder: list?.folder ?? '' })}</p>
      <ErrorBanner error={error} />
      {notice && (
        <div class="banner banner-ok" role="status" id="backups-notice">
          {notice}
        </div>
      )}
      {damaged && list && (
        <p id="newest-good">
          {newestGood ? (
            <>
              {t('data.newestGood', { date: i.dateTime(newestGood.createdAt) })}{' '}
              <button type="button" class="button button-primary" disabled={busy} onClick={() => setConfirming(newestGood)}>
                {t('data.restore')}
              </button>
            </>
          ) : (
            t('data.noGood')
          )}
        </p>
      )}
      {confirming && (
        <Modal id="confirm-restore" role="alertdialog" labelledBy="confirm-restore-text" onClose={() => !busy && setConfirming(null)}>
          <p id="confirm-restore-text">
            {t(damaged ? 'data.confirmRestoreDamaged' : 'data.confirmRestore', { date: i.dateTime(confirming.createdAt) })}
          </p>
          <div class="form-actions">
          <button type="button" class="button button-danger" id="confirm-restore-yes" disabled={busy} onClick={() => void restore(confirming)}>
            {busy ? t('data.restoring') : t('data.confirm')}
          </button>
          <button type="button" class="button" disabled={busy} onClick={() => setConfirming(null)}>
            {t('common.cancel')}
          </button>
          </div>
        </Modal>
      )}
      {list && list.backups.length === 0 && <p class="muted">{t('data.none')}</p>}
      {list && list.backups.length > 0 && (
        <table class="simple-table" id="backup-list">
          <thead>
            <tr>
              <th scope="col">{t('data.when')}</th>
              <th scope="col">{t('data.kind')}</th>
              <th scope="col">{t('data.size')}</th>
              <th scope="col" aria-label={t('data.restore')} />
            </tr>
          </thead>
          <tbody>
            {list.backups.map((b) => (
              <tr key={b.name} title={b.name}>
                <td>{i.dateTime(b.createdAt)}</td>
                <td>{t(KIND_KEYS[b.kind])}</td>
                <td>{sizeText(i, b.sizeBytes)}</td>
                <td>
                  <button type="button" class="button button-quiet" disabled={busy} onClick={() => setConfirming(b)}>
                    {t('data.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!damaged && (
        <div class="form-actions">
          <button type="button" class="button" id="backup-now" disabled={busy} onClick={() => void backupNow()}>
            {busy && !confirming ? t('data.backingUp') : t('data.backupNow')}
          </button>
        </div>
      )}
    </div>
  );
}
