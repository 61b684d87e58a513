// The banner that asks before the app writes to a path the user typed rather than chose
// (the backend refuses such a path with kind `confirm` until it is confirmed). Its ids are
// `{id}`, `{id}-text` and `{id}-yes`.
import { useI18n } from '../i18n';

export function ConfirmBanner(props: { id: string; text: string; yes: string; onYes: () => void; onNo: () => void }) {
  const { t } = useI18n();
  return (
    <div class="banner banner-error" role="alertdialog" aria-labelledby={`${props.id}-text`} id={props.id}>
      <p id={`${props.id}-text`}>{props.text}</p>
      <div class="form-actions">
        <button type="button" class="button button-primary" id={`${props.id}-yes`} onClick={props.onYes}>
          {props.yes}
        </button>
        <button type="button" class="button" id={`${props.id}-no`} onClick={props.onNo}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
