// The export card in Settings: "Export everything…" into a folder (a CSV file per kind, the
// JSON file and the attachments) with progress and Cancel, and "Save a portable backup…"
// to a file. Each target is a text field, prefilled with today's default in the Documents
// folder, that "Choose…" fills from the native picker.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, dataApi, type ExportOutcome, type ExportProgress } from '../api';
import { useI18n } from '../i18n';
import { sizeText } from './Backups';
import { ConfirmBanner } from './ConfirmBanner';
import { ErrorBanner } from './ErrorBanner';
import { Field } from './Field';

export function DataExport() {
  const i = useI18n();
  const { t } = i;
  const [folder, setFolder] = useState('');
  const [file, setFile] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  // A typed (not chosen) target the backend wants confirmed before it writes there.
  const [confirm, setConfirm] = useState<{ what: 'folder' | 'file'; path: string } | null>(null);
  const needsConfirm = (e: unknown) => e instanceof ApiFailure && e.kind === 'confirm';

  useEffect(() => {
    dataApi
      .suggestExportTargets()
      .then((d) => {
        // Keep what the user typed before the suggestion arrived.
        setFolder((f) => f || d.exportFolder);
        setFile((f) => f || d.backupFile);
      })
      .catch((e: unknown) => setError(e));
  }, []);

  const choose = async (kind: 'folder' | 'file') => {
    setError(null);
    try {
      const picked =
        kind === 'folder'
          ? await dataApi.chooseFolder(folder, t('data.chooseFolder'))
          : await dataApi.chooseSaveFile(file, t('data.chooseFile'));
      if (picked) (kind === 'folder' ? setFolder : setFile)(picked);
    } catch (e) {
      setError(e);
    }
  };

  const exportNow = async (confirmed = false) => {
    setExporting(true);
    setError(null);
    setNotice(null);
    setProgress(null);
    setConfirm(null);
    try {
      const outcome: ExportOutcome = await dataApi.exportEverything(folder, setProgress, confirmed);
      setNotice(
        outcome.cancelled
          ? t('data.exportCancelled')
          : t('data.exported', { files: i.number(outcome.files), rows: i.number(outcome.rows), folder: outcome.folder }),
      );
    } catch (e) {
      if (needsConfirm(e)) setConfirm({ what: 'folder', path: folder });
      else setError(e);
    } finally {
      setExporting(false);
    }
  };

  const savePortable = async (confirmed = false) => {
    setSaving(true);
    setError(null);
    setNotice(null);
    setConfirm(null);
    try {
      const saved = await dataApi.savePortableBackup(file, confirmed);
      setNotice(t('data.savedPortable', { path: saved.path, size: sizeText(i, saved.sizeBytes) }));
    } catch (e) {
      if (needsConfirm(e)) setConfirm({ what: 'file', path: file });
      else setError(e);
    } finally {
      setSaving(false);
    }
  };

  const busy = exporting || saving;
  return (
    <div class="card form" id="data-export" aria-labelledby="data-export-title">
      <h2 id="data-export-title">{t('data.exportTitle')}</h2>
      <p class="muted">{t('data.exportHint')}</p>
      <ErrorBanner error={error} />
      {confirm && (
        <ConfirmBanner
          id="confirm-write"
          text={t('data.confirmWrite', { path: confirm.path })}
          yes={t('data.writeThere')}
          onYes={() => void (confirm.what === 'folder' ? exportNow(true) : savePortable(true))}
          onNo={() => setConfirm(null)}
        />
      )}
      {notice && (
        <div class="banner banner-ok" role="status" id="export-notice">
          {notice}
        </div>
      )}
      <Field id="export-folder" label={t('data.exportFolder')}>
        <div class="path-field">
          <input id="export-folder" class="path" value={folder} disabled={busy} onInput={(e) => setFolder(e.currentTarget.value)} />
          <button type="button" class="button" disabled={busy} onClick={() => void choose('folder')}>
            {t('data.choose')}
          </button>
        </div>
      </Field>
      {exporting ? (
        <div class="import-running" role="status" aria-live="polite">
          <p>{t('data.exporting')}</p>
          <progress id="export-progress" max={progress?.parts || 1} value={progress?.done ?? 0} />
          {progress && progress.part && (
            <p class="muted">
              {t('data.exportProgress', {
                done: i.number(progress.done + 1),
                parts: i.number(progress.parts),
                part: progress.part,
                rows: i.number(progress.rows),
              })}
            </p>
          )}
          <button type="button" class="button button-danger" id="export-cancel" onClick={() => void dataApi.cancelExport().catch(setError)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : (
        <div class="form-actions">
          <button type="button" class="button button-primary" id="export-everything" disabled={busy || !folder.trim()} onClick={() => void exportNow()}>
            {t('data.exportNow')}
          </button>
        </div>
      )}
      <Field id="backup-file" label={t('data.backupFile')}>
        <div class="path-field">
          <input id="backup-file" class="path" value={file} disabled={busy} onInput={(e) => setFile(e.currentTarget.value)} />
          <button type="button" class="button" disabled={busy} onClick={() => void choose('file')}>
            {t('data.choose')}
          </button>
        </div>
      </Field>
      <div class="form-actions">
        <button type="button" class="button" id="save-portable-backup" disabled={busy || !file.trim()} onClick={() => void savePortable()}>
          {saving ? t('data.savingPortable') : t('data.savePortable')}
        </button>
      </div>
    </div>
  );
}
