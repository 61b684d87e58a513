// "Open" and "Show in folder" beside a file the app has just written (a signed
// submission's report, the national report, a term sheet). The backend opens only files
// it wrote in this session (paths.rs).
import { useState } from 'preact/hooks';
import { dataApi } from '../api';
import { useI18n } from '../i18n';
import { ErrorBanner } from './ErrorBanner';

export function OpenWritten(props: { path: string; id?: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const open = (folder: boolean) => {
    setError(null);
    dataApi.openWritten(props.path, folder).catch(setError);
  };
  return (
    <span class="open-written" id={props.id}>
      <button type="button" class="button button-quiet" onClick={() => open(false)}>
        {t('common.openFile')}
      </button>
      <button type="button" class="button button-quiet" onClick={() => open(true)}>
        {t('common.showInFolder')}
      </button>
      <ErrorBanner error={error} />
    </span>
  );
}
