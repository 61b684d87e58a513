// First start on an empty database: offer the demo office or a clean start.
import { useState } from 'preact/hooks';
import { api, type AppStatus, type DemoLoaded } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n } from '../i18n';

export function Welcome(props: { status: AppStatus; onDemoLoaded: (loaded: DemoLoaded) => void; onStartEmpty: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const loadDemo = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onDemoLoaded(await api.loadDemoOffice());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="view welcome" aria-labelledby="welcome-title">
      <div class="card welcome-card">
        <h1 id="welcome-title">{t('welcome.title')}</h1>
        <p>{t('welcome.body')}</p>
        <ErrorBanner error={error} />
        <div class="form-actions">
          <button type="button" class="button button-primary" id="load-demo" disabled={busy} onClick={loadDemo}>
            {busy ? t('welcome.loadingDemo') : t('welcome.loadDemo')}
          </button>
          <button type="button" class="button" id="start-empty" onClick={props.onStartEmpty}>
            {t('welcome.startEmpty')}
          </button>
        </div>
        <p class="muted path">{t('welcome.dataDir', { dir: props.status.dataDir })}</p>
      </div>
    </section>
  );
}
