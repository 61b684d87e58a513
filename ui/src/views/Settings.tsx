// Settings: language and the user's name, and where this installation keeps its data.
import { useState } from 'preact/hooks';
import { api, type AppStatus, type ImportedExport, type Language, type Settings as SettingsT } from '../api';
import { Backups } from '../components/Backups';
import { DataExport } from '../components/DataExport';
import { ErrorBanner } from '../components/ErrorBanner';
import { ExportImport } from '../components/ExportImport';
import { Field } from '../components/Field';
import { SyncCard } from './Sync';
import { useI18n } from '../i18n';
import { fieldMessages } from '../lib/labels';

export function Settings(props: {
  status: AppStatus;
  onSaved: (s: SettingsT) => void;
  onImport?: () => void;
  onImportedExport?: (done: ImportedExport) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const [language, setLanguage] = useState<Language>(props.status.settings.language);
  const [userName, setUserName] = useState(props.status.settings.userName);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const nameError = fieldMessages(i, error).userName;

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    setError(null);
    try {
      const s = await api.saveSettings({ language, userName });
      setSaved(true);
      props.onSaved(s);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="view settings-view" aria-labelledby="settings-title">
      <header class="view-header">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </header>
      <ErrorBanner error={error} />
      {saved && (
        <div class="banner banner-ok" role="status">
          {t('settings.saved')}
        </div>
      )}
      <form class="form card narrow" onSubmit={submit} noValidate>
        <Field id="s-language" label={t('settings.language')}>
          <select id="s-language" value={language} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
            <option value="en">English</option>
            <option value="nl">Nederlands</option>
          </select>
        </Field>
        <Field id="s-user" label={t('settings.userName')} hint={t('settings.userNameHint')} error={nameError} required>
          <input id="s-user" value={userName} onInput={(e) => setUserName(e.currentTarget.value)} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="button button-primary" id="save-settings">
            {t('common.save')}
          </button>
        </div>
      </form>
      <SyncCard dataDir={props.status.dataDir} />
      <div class="card narrow">
        <h2>{t('settings.about')}</h2>
        <dl class="facts">
          <dt>{t('settings.version')}</dt>
          <dd>{props.status.appVersion}</dd>
          <dt>{t('settings.dataDir')}</dt>
          <dd class="path">{props.status.dataDir}</dd>
          <dt>{t('settings.dbPath')}</dt>
          <dd class="path" id="db-path">{props.status.dbPath}</dd>
          <dt>{t('settings.schema')}</dt>
          <dd>{props.status.schemaVersion ?? t('common.none')}</dd>
        </dl>
      </div>
      {props.onImport && (
        <div class="card narrow" id="import-card">
          <h2>{t('import.settingsTitle')}</h2>
          <p class="muted">{t('import.settingsHint')}</p>
          <div class="form-actions">
            <button type="button" class="button" id="open-import" onClick={props.onImport}>
              {t('import.openLong')}
            </button>
          </div>
        </div>
      )}
      <div class="narrow">
        <Backups />
      </div>
      <div class="narrow">
        <DataExport />
      </div>
      <div class="narrow">
        <div class="card form">
          <ExportImport defaultFolder={props.status.dataDir} onImported={(done) => props.onImportedExport?.(done)} />
        </div>
      </div>
    </section>
  );
}
