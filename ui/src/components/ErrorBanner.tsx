import { ApiFailure } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { en } from '../i18n/en';

/**
 * A failed call, phrased for the user: by its code where the UI has a text for it, else
 * according to its kind.
 */
export function failureText(t: ReturnType<typeof useI18n>['t'], e: unknown): string {
  const f = e instanceof ApiFailure ? e : new ApiFailure('internal', String(e));
  const coded = f.code ? `error.code.${f.code}` : '';
  if (coded in en) return t(coded as MessageKey, f.params);
  switch (f.kind) {
    case 'notFound':
      return t('error.notFound');
    case 'validation':
      // Marked fields say the rest; a rule of the whole input (the cap table's maths) says itself.
      return f.fields.length > 0 || !f.message ? t('form.fixFields') : f.message;
    case 'conflict':
    case 'confirm':
      return t('error.conflict', { message: f.message });
    case 'storage':
      return t('error.storage', { message: f.message });
    case 'damaged':
      return t('error.damaged', { message: f.message });
    case 'io':
      return t('error.io', { message: f.message });
    case 'internal':
      return t('error.internal', { message: f.message });
  }
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div class="banner banner-error" role="alert" id="error-banner">
      <span>{failureText(t, error)}</span>
      {onRetry && (
        <button type="button" class="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
