// "Import an export…": a whole export folder into this office while it is empty (on the
// welcome page and in Settings). The folder is typed or chosen with the system's picker;
// a typed folder is read only after the user confirms it.
import { useState } from 'preact/hooks';
import { ApiFailure, dataApi, type ImportedExport } from '../api';
import { useI18n } from '../i18n';
import { ConfirmBanner } from './ConfirmBanner';
import { ErrorBanner } from './ErrorBanner';
import { PathField } from './PathField';

export function ExportImport(props: { defaultFolder: string; onImported: (done: ImportedExport) => void }) {
  const i = useI18n();
  const { t } = i;
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);

  const importNow = async (path: string, confirmed = false) => {
    if (!path.trim()) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    setConfirm(null);
    try {
      const done = await dataApi.importExport(path.trim(), confirmed);
      setNotice(
        t('data.imported', {
          records: i.number(done.records),
          history: i.number(done.history),
          attachments: i.number(done.attachments),
          folder: done.folder,
        }),
      );
      props.onImported(done);
    } catch (e) {
      if (e instanceof ApiFailure && e.kind === 'confirm') setConfirm(path.trim());
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="export-import" id="export-import">
      <h2 id="export-import-title">{t('data.importTitle')}</h2>
      <p class="muted">{t('data.importHint')}</p>
      <ErrorBanner error={error} />
      {confirm && (
        <ConfirmBanner
          id="import-confirm"
          text={t('data.confirmRead', { path: confirm })}
          yes={t('data.readThere')}
          onYes={() => void importNow(confirm, true)}
          onNo={() => setConfirm(null)}
        />
      )}
      {notice && (
        <div class="banner banner-ok" role="status" id="import-export-notice">
          {notice}
        </div>
      )}
      <PathField
        id="import-export-folder"
        label={t('data.importFolder')}
        value={folder}
        onInput={setFolder}
        pick="folder"
        pickTitle={t('data.chooseImport')}
        pickFrom={props.defaultFolder}
        onPicked={(picked) => void importNow(picked)}
        onError={setError}
        disabled={busy}
        action={{ id: 'import-export-now', label: busy ? t('data.importing') : t('data.importNow'), run: (path) => void importNow(path) }}
      />
    </div>
  );
}
