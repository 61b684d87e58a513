// A pipeline's deals as a table: sort by any column, filter by stage and responsible,
// search, and saved views (stored like the record tables' views, under the kind "deal" and
// the pipeline, so each pipeline has its own names). Rows are fetched by page as they scroll into view.
import { useState } from 'preact/hooks';
import { api, type DealRow, type DealSort, type Pipeline, type RecordQuery, type SavedView, type Stage, type Values } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { SavedViews } from '../components/SavedViews';
import { PagedTable, type TableColumn } from '../components/PagedTable';
import { useI18n, type MessageKey } from '../i18n';
import { useRemembered } from '../lib/remembered';
import { stageName } from '../lib/labels';
import { todayIso } from '../lib/parse';
import { useLoad } from '../lib/useLoad';

const FILTER_STAGE = 'stageId';
const FILTER_OWNER = 'owner';
/** The filter key a saved view keeps its pipeline under (kto_store::VIEW_PIPELINE); the deal listing ignores it. */
const VIEW_PIPELINE = 'pipeline';

const COLUMNS: { key: DealSort; width: string; numeric?: boolean }[] = [
  { key: 'title', width: '24%' },
  { key: 'stage', width: '12%' },
  { key: 'organisation', width: '15%' },
  { key: 'value', width: '11%', numeric: true },
  { key: 'owner', width: '11%' },
  { key: 'nextAction', width: '17%' },
  { key: 'nextActionDue', width: '10%' },
];

const fresh = (): RecordQuery => ({ sort: 'title', descending: false, search: null, filters: {}, offset: 0, limit: 100 });

export function DealTable(props: { pipeline: Pipeline; stages: Stage[]; onOpen: (id: string) => void }) {
  const i = useI18n();
  const { t } = i;
  const [query, setQuery] = useRemembered<RecordQuery>(`deals:${props.pipeline}`, fresh);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  const ownViews = (all: SavedView[]) => all.filter((v) => v.query.filters[VIEW_PIPELINE] === props.pipeline);
  const applyView = (v: SavedView) => {
    const filters: Values = { ...v.query.filters };
    delete filters[VIEW_PIPELINE];
    setQuery({ ...v.query, filters, offset: 0, limit: 100 });
  };
  const owners = useLoad(() => api.listDealOwners(props.pipeline), [props.pipeline]);

  const sortBy = (key: string) =>
    setQuery((q) => ({ ...q, sort: key, descending: q.sort === key ? !q.descending : false }));

  const setFilter = (key: string, value: string) =>
    setQuery((q) => {
      const filters: Values = { ...q.filters };
      if (value === '') delete filters[key];
      else filters[key] = value;
      return { ...q, filters };
    });

  const today = todayIso();
  const cell: Record<DealSort, (d: DealRow) => preact.ComponentChildren> = {
    title: (d) => <span title={d.title}>{d.title}</span>,
    stage: (d) => <span class={`badge outcome-badge-${d.stage.outcome}`}>{stageName(i, d.stage)}</span>,
    organisation: (d) => d.organisationName ?? '',
    value: (d) => (d.value === null ? '' : i.euros(d.value)),
    owner: (d) => d.owner,
    nextAction: (d) => <span title={d.nextAction}>{d.nextAction}</span>,
    nextActionDue: (d) =>
      d.nextActionDue === null ? (
        ''
      ) : (
        <span class={d.nextActionDue < today && d.stage.outcome === 'open' ? 'overdue' : ''}>{i.date(d.nextActionDue)}</span>
      ),
  };
  const columns: TableColumn<DealRow>[] = COLUMNS.map((c) => ({
    key: c.key,
    label: t(`dealTable.${c.key}` as MessageKey),
    width: c.width,
    numeric: c.numeric,
    render: cell[c.key],
  }));

  const queryKey = JSON.stringify([props.pipeline, query.sort, query.descending, query.search, query.filters]);
  return (
    <>
      <div class="toolbar records-toolbar" id="deal-table-tools">
        <label>
          {t('records.search')}{' '}
          <input
            type="search"
            id="deal-search"
            placeholder={t('dealTable.searchPlaceholder')}
            value={query.search ?? ''}
            onInput={(e) => {
              const search = e.currentTarget.value;
              setQuery((q) => ({ ...q, search: search === '' ? null : search }));
            }}
          />
        </label>
        <label>
          {t('dealTable.stage')}{' '}
          <select id="deal-filter-stage" value={String(query.filters[FILTER_STAGE] ?? '')} onChange={(e) => setFilter(FILTER_STAGE, e.currentTarget.value)}>
            <option value="">{t('records.filterAll')}</option>
            {props.stages.map((s) => (
              <option value={s.id}>{stageName(i, s)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('dealTable.owner')}{' '}
          <select id="deal-filter-owner" value={String(query.filters[FILTER_OWNER] ?? '')} onChange={(e) => setFilter(FILTER_OWNER, e.currentTarget.value)}>
            <option value="">{t('records.filterAll')}</option>
            {(owners.value ?? []).map((o) => (
              <option value={o}>{o}</option>
            ))}
          </select>
        </label>
        <SavedViews
          ids={{ select: 'deal-views', name: 'deal-view-name', open: 'deal-save-view', save: 'deal-view-save', remove: 'deal-delete-view' }}
          rememberKey={`deals:${props.pipeline}:view`}
          load={async () => ownViews(await api.listViews('deal', props.pipeline))}
          save={(name) =>
            api.saveView({ name, kind: 'deal', query: { ...query, filters: { ...query.filters, [VIEW_PIPELINE]: props.pipeline }, offset: 0 } })
          }
          remove={(name) => api.deleteView('deal', name, props.pipeline)}
          apply={applyView}
          onError={setError}
        />
      </div>
      <ErrorBanner error={error ?? owners.error} />
      <p class="muted small" id="deals-count" aria-live="polite">
        {total !== null && (total === 1 ? t('dealTable.countOne') : t('dealTable.count', { count: i.number(total) }))}
      </p>
      <PagedTable<DealRow>
        id="deals-table"
        queryKey={queryKey}
        fetchPage={(offset, limit) => api.listDeals(props.pipeline, { ...query, offset, limit })}
        columns={columns}
        sort={query.sort}
        descending={query.descending}
        onSort={sortBy}
        rowId={(d) => d.id}
        onOpen={(d) => props.onOpen(d.id)}
        onTotal={(n) => {
          setTotal(n);
          setError(null);
        }}
        onError={setError}
        empty={t('dealTable.empty')}
      />
    </>
  );
}
