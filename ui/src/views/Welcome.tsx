// First start on an empty database: ask who the user is (the author of every change and
// the signer of the monitor submission), then offer the demo office or a clean start.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, dataApi, syncApi, type AppStatus, type DemoLoaded, type ImportedExport, type Settings, type SyncReport } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { ExportImport } from '../components/ExportImport';
import { Field } from '../components/Field';
import { useFocusOnce } from '../lib/focus';
import { fieldMessages } from '../lib/labels';
import { useI18n } from '../i18n';

export function Welcome(props: {
  status: AppStatus;
  onSettings: (s: Settings) => void;
  onDemoLoaded: (loaded: DemoLoaded) => void;
  onStartEmpty: () => void;
  onJoined: (report: SyncReport) => void;
  onImportedExport: (done: ImportedExport) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [name, setName] = useState(props.status.settings.userName);
  const [folder, setFolder] = useState('');
  const [confirmJoin, setConfirmJoin] = useState(false);
  const focusName = useFocusOnce<HTMLInputElement>();
  const nameError = fieldMessages(i, error).userName;
  // The first screen of an empty office is usable after this paint (the package test
  // waits for it).
  useEffect(() => {
    requestAnimationFrame(() => void api.appReady('welcome').catch(() => undefined));
  }, []);

  /** Saves the name first: every change from here on carries it. */
  const saveName = async (): Promise<boolean> => {
    setError(null);
    try {
      props.onSettings(await api.saveSettings({ ...props.status.settings, userName: name }));
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  const startEmpty = async () => {
    if (await saveName()) props.onStartEmpty();
  };
  const loadDemo = async () => {
    if (!(await saveName())) return;
    setBusy(true);
    try {
      props.onDemoLoaded(await api.loadDemoOffice());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  /** Makes this laptop one of the office's, from the snapshot in its shared folder. */
  const join = async (path: string, confirmed = false) => {
    if (!path.trim() || !(await saveName())) return;
    setBusy(true);
    setConfirmJoin(false);
    try {
      props.onJoined(await syncApi.join(path.trim(), confirmed));
    } catch (e) {
      if (e instanceof ApiFailure && e.kind === 'confirm') setConfirmJoin(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const chooseFolder = async () => {
    setError(null);
    try {
      const picked = await dataApi.chooseFolder(folder || props.status.dataDir, t('welcome.joinFolder'));
      if (picked) {
        setFolder(picked);
        await join(picked);
      }
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section class="view welcome" aria-labelledby="welcome-title">
      <div class="card welcome-card">
        <h1 id="welcome-title">{t('welcome.title')}</h1>
        <Field id="welcome-name" label={t('welcome.who')} hint={t('welcome.whoHint')} error={nameError} required>
          <input id="welcome-name" ref={focusName} autoComplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <p>{t('welcome.body')}</p>
        {!nameError && <ErrorBanner error={error} />}
        <div class="form-actions">
          <button type="button" class="button button-primary" id="load-demo" disabled={busy} onClick={loadDemo}>
            {busy ? t('welcome.loadingDemo') : t('welcome.loadDemo')}
          </button>
          <button type="button" class="button" id="start-empty" disabled={busy} onClick={startEmpty}>
            {t('welcome.startEmpty')}
          </button>
        </div>
        <h2>{t('welcome.joinTitle')}</h2>
        <p class="muted">{t('welcome.joinHint')}</p>
        {confirmJoin && (
          <div class="banner banner-error" role="alertdialog" id="join-confirm">
            <p>{t('sync.confirm', { path: folder })}</p>
            <div class="form-actions">
              <button type="button" class="button button-primary" id="join-confirm-yes" onClick={() => void join(folder, true)}>
                {t('sync.confirmYes')}
              </button>
              <button type="button" class="button" onClick={() => setConfirmJoin(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
        <Field id="join-folder" label={t('welcome.joinFolder')}>
          <div class="input-row">
            <input id="join-folder" value={folder} onInput={(e) => setFolder(e.currentTarget.value)} />
            <button type="button" class="button" id="join-choose" disabled={busy} onClick={() => void chooseFolder()}>
              {t('sync.choose')}
            </button>
          </div>
        </Field>
        <div class="form-actions">
          <button type="button" class="button" id="join-office" disabled={busy || !folder.trim()} onClick={() => void join(folder)}>
            {t('welcome.join')}
          </button>
        </div>
        <ExportImport defaultFolder={props.status.dataDir} onImported={props.onImportedExport} />
        <p class="muted path">{t('welcome.dataDir', { dir: props.status.dataDir })}</p>
      </div>
    </section>
  );
}
