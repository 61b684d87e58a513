// The export card in Settings: "Export everything…" into a folder (a CSV file per kind, the
// JSON file and the attachments) with progress and Cancel, "Export to Excel…" as one
// workbook with a sheet per kind that imports back, and "Save a portable backup…" to a file. Each target is a text field, prefilled with today's default in the Documents
// folder, that "Choose…" fills from the native picker.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, dataApi, type ExportOutcome, type ExportProgress } from '../api';
import { useI18n } from '../i18n';
import { sizeText } from './Backups';
import { ConfirmBanner } from './ConfirmBanner';
import { ErrorBanner } from './ErrorBanner';
import { OpenWritten } from './OpenWritten';
import { PathField } from './PathField';

export function DataExport() {
  const i = useI18n();
  const { t } = i;
  const [folder, setFolder] = useState('');
  const [file, setFile] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [workbook, setWorkbook] = useState('');
  const [writing, setWriting] = useState(false);
  const [written, setWritten] = useState<string | null>(null);
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  // A typed (not chosen) target the backend wants confirmed before it writes there.
  const [confirm, setConfirm] = useState<{ what: 'folder' | 'file' | 'workbook'; path: string } | null>(null);
  const needsConfirm = (e: unknown) => e instanceof ApiFailure && e.kind === 'confirm';

  useEffect(() => {
    dataApi
      .suggestExportTargets()
      .then((d) => {
        // Keep what the user typed before the suggestion arrived.
        setFolder((f) => f || d.exportFolder);
        setFile((f) => f || d.backupFile);
        setWorkbook((f) => f || d.workbookFile);
      })
      .catch((e: unknown) => setError(e));
  }, []);

  const exportNow = async (confirmed = false) => {
    setExporting(true);
    setError(null);
    setNotice(null);
    setWritten(null);
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
    setWritten(null);
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

  const exportWorkbook = async (confirmed = false) => {
    setWriting(true);
    setError(null);
    setNotice(null);
    setWritten(null);
    setConfirm(null);
    try {
      const done = await dataApi.exportXlsx(workbook, confirmed);
      setNotice(t('data.exportedXlsx', { records: i.number(done.records), path: done.path }));
      setWritten(done.path);
    } catch (e) {
      if (needsConfirm(e)) setConfirm({ what: 'workbook', path: workbook });
      else setError(e);
    } finally {
      setWriting(false);
    }
  };

  const write = { folder: exportNow, file: savePortable, workbook: exportWorkbook };
  const busy = exporting || saving || writing;
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
          onYes={() => void write[confirm.what](true)}
          onNo={() => setConfirm(null)}
        />
      )}
      {notice && (
        <div class="banner banner-ok" role="status" id="export-notice">
          <p>{notice}</p>
          {written && <OpenWritten path={written} />}
        </div>
      )}
      <PathField
        id="export-folder"
        label={t('data.exportFolder')}
        value={folder}
        onInput={setFolder}
        pick="folder"
        pickTitle={t('data.chooseFolder')}
        onError={setError}
        disabled={busy}
      />
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
      <PathField
        id="workbook-file"
        label={t('data.workbookFile')}
        hint={t('data.workbookHint')}
        value={workbook}
        onInput={setWorkbook}
        pick="file"
        pickTitle={t('data.chooseWorkbook')}
        onError={setError}
        disabled={busy}
        action={{ id: 'export-xlsx', label: writing ? t('data.exportingXlsx') : t('data.exportXlsx'), run: () => void exportWorkbook() }}
      />
      <PathField
        id="backup-file"
        label={t('data.backupFile')}
        value={file}
        onInput={setFile}
        pick="file"
        pickTitle={t('data.chooseFile')}
        onError={setError}
        disabled={busy}
        action={{ id: 'save-portable-backup', label: saving ? t('data.savingPortable') : t('data.savePortable'), run: () => void savePortable() }}
      />
    </div>
  );
}
