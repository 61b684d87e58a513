// A labelled path field with "Choose…": the text field takes a typed path (which the
// backend writes to only after the user confirms it), the button opens the native folder
// or save-file picker, which the backend opens so that it knows what was picked. Used by
// every card that writes or reads a file or folder the user names.
import { dataApi } from '../api';
import { useI18n } from '../i18n';
import { Field } from './Field';

export function PathField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (path: string) => void;
  /** What the picker chooses: a folder, or a (new) file to save. */
  pick: 'folder' | 'file';
  /** The picker window's title. */
  pickTitle: string;
  /** Where the picker opens when the field is empty. */
  pickFrom?: string;
  /** Called with the picked path, after `onInput`; a closed picker calls nothing. */
  onPicked?: (path: string) => void;
  onError: (e: unknown) => void;
  disabled?: boolean;
  hint?: string;
  /** The button under the field that acts on its path; disabled while the field is empty. */
  action?: { id: string; label: string; run: (path: string) => void };
}) {
  const { t } = useI18n();
  const choose = async () => {
    props.onError(null);
    try {
      const picked =
        props.pick === 'folder'
          ? await dataApi.chooseFolder(props.value || props.pickFrom || '', props.pickTitle)
          : await dataApi.chooseSaveFile(props.value || props.pickFrom || '', props.pickTitle);
      if (picked) {
        props.onInput(picked);
        props.onPicked?.(picked);
      }
    } catch (e) {
      props.onError(e);
    }
  };
  const action = props.action;
  return (
    <>
      <Field id={props.id} label={props.label} hint={props.hint}>
        <div class="path-field">
          <input
            id={props.id}
            class="path"
            value={props.value}
            disabled={props.disabled}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
          <button type="button" class="button" id={`${props.id}-choose`} disabled={props.disabled} onClick={() => void choose()}>
            {t('data.choose')}
          </button>
        </div>
      </Field>
      {action && (
        <div class="form-actions">
          <button
            type="button"
            class="button"
            id={action.id}
            disabled={props.disabled || !props.value.trim()}
            onClick={() => action.run(props.value)}
          >
            {action.label}
          </button>
        </div>
      )}
    </>
  );
}
