// The saved views of a table: choose one, save the current query under a name, delete the
// chosen one. The record tables and the deal tables use it; where the views are stored and
// what a view's query means is the table's own business (`load`, `save`, `remove`, `apply`).
import { useEffect, useState } from 'preact/hooks';
import type { SavedView } from '../api';
import { useI18n } from '../i18n';
import { useRemembered } from '../lib/remembered';

/** Element ids of the controls, which the end-to-end journeys use. */
export interface SavedViewIds {
  select: string;
  name: string;
  open: string;
  save: string;
  remove: string;
}

export function SavedViews(props: {
  ids: SavedViewIds;
  /** The chosen view is remembered under this key while the app runs; a new key reloads the views. */
  rememberKey: string;
  load: () => Promise<SavedView[]>;
  save: (name: string) => Promise<unknown>;
  remove: (name: string) => Promise<unknown>;
  apply: (view: SavedView) => void;
  onError: (e: unknown) => void;
}) {
  const { t } = useI18n();
  const [views, setViews] = useState<SavedView[]>([]);
  const [viewName, setViewName] = useRemembered(props.rememberKey, '');
  const [naming, setNaming] = useState(false);

  useEffect(() => {
    let current = true;
    props
      .load()
      .then((v) => current && setViews(v))
      .catch((e: unknown) => current && props.onError(e));
    return () => {
      current = false;
    };
  }, [props.rememberKey]);

  const pick = (name: string) => {
    setViewName(name);
    const v = views.find((x) => x.name === name);
    if (v) props.apply(v);
  };

  const save = async (name: string) => {
    try {
      await props.save(name);
      setViews(await props.load());
      setViewName(name.trim());
      setNaming(false);
    } catch (e) {
      props.onError(e);
    }
  };

  const remove = async () => {
    try {
      await props.remove(viewName);
      setViews(await props.load());
      setViewName('');
    } catch (e) {
      props.onError(e);
    }
  };

  return (
    <>
      <label>
        {t('records.views')}{' '}
        <select id={props.ids.select} value={viewName} onChange={(e) => pick(e.currentTarget.value)}>
          <option value="">{t('records.viewNone')}</option>
          {views.map((v) => (
            <option value={v.name}>{v.name}</option>
          ))}
        </select>
      </label>
      {naming ? (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const name = (e.currentTarget.elements.namedItem('view-name') as HTMLInputElement).value;
            void save(name);
          }}
        >
          <input name="view-name" id={props.ids.name} aria-label={t('records.viewName')} placeholder={t('records.viewName')} required />
          <button type="submit" class="button" id={props.ids.save}>
            {t('common.save')}
          </button>
          <button type="button" class="button" onClick={() => setNaming(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <button type="button" class="button" id={props.ids.open} onClick={() => setNaming(true)}>
          {t('records.saveView')}
        </button>
      )}
      {viewName && (
        <button type="button" class="button" id={props.ids.remove} onClick={() => void remove()}>
          {t('records.deleteView')}
        </button>
      )}
    </>
  );
}
