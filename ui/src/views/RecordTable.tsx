// The table view of one record kind: columns from the kind's spec, sort by any column,
// filters on choice and yes/no fields, full-text search, saved views; rows are fetched
// page by page as they scroll into view and only those in view are drawn (PagedTable).
import { useState } from 'preact/hooks';
import { api, type KindSpec, type RecordKind, type RecordQuery, type StoredRecord, type Values } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { SavedViews } from '../components/SavedViews';
import { PagedTable } from '../components/PagedTable';
import { useI18n } from '../i18n';
import { useRemembered } from '../lib/remembered';
import { fieldName, kindLabel, kindLabelOne, optionLabel, showValue } from '../lib/records';

const PAGE = 100;

export function RecordTable(props: {
  spec: KindSpec;
  onOpen: (kind: RecordKind, id: string) => void;
  onNew: (kind: RecordKind) => void;
  onImport?: (kind: RecordKind) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const { spec } = props;
  const [query, setQuery] = useRemembered<RecordQuery>(`records:${spec.kind}`, { sort: null, descending: false, search: null, filters: {}, offset: 0, limit: PAGE });
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const columns = spec.fields.filter((f) => f.inTable);
  const filterable = spec.fields.filter((f) => f.type === 'choice' || f.type === 'bool');

  // The app mounts one table per kind (keyed by kind); its query is remembered per kind.
  const queryKey = JSON.stringify([spec.kind, query.sort, query.descending, query.search, query.filters]);

  const sortBy = (key: string) =>
    setQuery((q) => ({ ...q, sort: key, descending: q.sort === key ? !q.descending : false }));

  const setFilter = (key: string, raw: string) =>
    setQuery((q) => {
      const filters: Values = { ...q.filters };
      if (raw === '') delete filters[key];
      else filters[key] = raw === 'true' ? true : raw === 'false' ? false : raw;
      return { ...q, filters };
    });

  return (
    <section class="view" aria-labelledby="records-title">
      <header class="view-header">
        <h1 id="records-title">{kindLabel(i, spec.kind)}</h1>
        <div class="toolbar">
          {props.onImport && (
            <button type="button" class="button" id="import-records" onClick={() => props.onImport?.(spec.kind)}>
              {t('import.open')}
            </button>
          )}
          <button type="button" class="button button-primary" id="new-record" onClick={() => props.onNew(spec.kind)}>
            {t('records.new', { kind: kindLabelOne(i, spec.kind).toLowerCase() })}
          </button>
        </div>
      </header>
      <div class="toolbar records-toolbar">
        <label>
          {t('records.search')}{' '}
          <input
            type="search"
            id="records-search"
            placeholder={t('records.searchPlaceholder')}
            value={query.search ?? ''}
            onInput={(e) => {
              const search = (e.target as HTMLInputElement).value;
              setQuery((q) => ({ ...q, search: search === '' ? null : search }));
            }}
          />
        </label>
        {filterable.map((f) => (
          <label>
            {fieldName(i, f.key)}{' '}
            <select
              id={`filter-${f.key}`}
              value={String(query.filters[f.key] ?? '')}
              onChange={(e) => setFilter(f.key, (e.target as HTMLSelectElement).value)}
            >
              <option value="">{t('records.filterAll')}</option>
              {f.type === 'choice'
                ? f.options.map((o) => <option value={o}>{optionLabel(i, f.key, o)}</option>)
                : [
                    <option value="true">{t('records.yes')}</option>,
                    <option value="false">{t('records.no')}</option>,
                  ]}
            </select>
          </label>
        ))}
        <SavedViews
          ids={{ select: 'saved-views', name: 'view-name', open: 'save-view', save: 'view-save', remove: 'delete-view' }}
          rememberKey={`records:${spec.kind}:view`}
          load={() => api.listViews(spec.kind)}
          save={(name) => api.saveView({ name, kind: spec.kind, query: { ...query, offset: 0 } })}
          remove={(name) => api.deleteView(spec.kind, name)}
          apply={(v) => setQuery({ ...v.query, offset: 0, limit: PAGE })}
          onError={setError}
        />
      </div>
      {error !== null && <ErrorBanner error={error} />}
      <p class="muted small" id="records-count">
        {total !== null && (total === 1 ? t('records.countOne') : t('records.count', { n: i.number(total) }))}
      </p>
      <PagedTable<StoredRecord>
        id="records-table"
        queryKey={queryKey}
        fetchPage={(offset, limit) => api.listRecords(spec.kind, { ...query, offset, limit })}
        columns={columns.map((f) => ({
          key: f.key,
          label: fieldName(i, f.key),
          numeric: f.type === 'money',
          render: (r: StoredRecord) => (f.type === 'link' ? (r.linkTitles[f.key] ?? '') : showValue(i, f, r.values[f.key])),
        }))}
        sort={query.sort}
        descending={query.descending}
        onSort={sortBy}
        rowId={(r) => r.id}
        onOpen={(r) => props.onOpen(spec.kind, r.id)}
        onTotal={(n) => {
          setTotal(n);
          setError(null);
        }}
        onError={setError}
        empty={
          query.search
            ? t('records.noMatch', { query: query.search, kind: kindLabel(i, spec.kind).toLowerCase() })
            : Object.keys(query.filters).length > 0
              ? t('records.noneFiltered', { kind: kindLabel(i, spec.kind).toLowerCase() })
              : t('records.empty')
        }
      />
    </section>
  );
}
