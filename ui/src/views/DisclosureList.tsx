// The disclosure list: sortable columns, a search box (full-text, prefix from two
// letters), pages fetched by key as the user scrolls, rows virtualised.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, type DisclosureRow, type DisclosureSort } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { ViewSwitch } from '../components/ViewSwitch';
import { useVirtualizer } from '../components/virtual';
import { useI18n, type MessageKey } from '../i18n';
import { useRemembered } from '../lib/remembered';
import { stageLabel } from '../lib/labels';

const PAGE = 200;
const ROW_HEIGHT = 40;

const COLUMNS: { sort: DisclosureSort; label: MessageKey; cls: string }[] = [
  { sort: 'reference', label: 'field.reference', cls: 'col-ref' },
  { sort: 'title', label: 'field.title', cls: 'col-title' },
  { sort: 'receivedOn', label: 'field.receivedOn', cls: 'col-date' },
  { sort: 'faculty', label: 'field.faculty', cls: 'col-faculty' },
  { sort: 'trl', label: 'field.trl', cls: 'col-trl' },
  { sort: 'stage', label: 'field.stage', cls: 'col-stage' },
];

interface ListState {
  rows: DisclosureRow[];
  next: string | null;
  total: number;
}

export function DisclosureList(props: {
  onOpen: (id: string) => void;
  onNew: () => void;
  search: string;
  onSearch: (s: string) => void;
  searchRef: { current: HTMLInputElement | null };
  /** Shows the disclosures as a board instead. */
  onBoard?: () => void;
}) {
  const i = useI18n();
  const { t } = i;
  const [sort, setSort] = useRemembered<DisclosureSort>('disclosures:sort', 'receivedOn');
  const [descending, setDescending] = useRemembered('disclosures:descending', true);
  const [data, setData] = useState<ListState>({ rows: [], next: null, total: 0 });
  const [allTotal, setAllTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [debounced, setDebounced] = useState(props.search);
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const h = setTimeout(() => setDebounced(props.search), 150);
    return () => clearTimeout(h);
  }, [props.search]);

  const loadFirst = useCallback(() => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    api
      .listDisclosures({ sort, descending, search: debounced.trim() || null, after: null, limit: PAGE })
      .then((page) => {
        if (gen !== generation.current) return;
        setData({ rows: page.rows, next: page.next, total: page.total ?? page.rows.length });
        if (!debounced.trim()) setAllTotal(page.total ?? null);
        scrollRef.current?.scrollTo({ top: 0 });
      })
      .catch((e: unknown) => gen === generation.current && setError(e))
      .finally(() => gen === generation.current && setLoading(false));
  }, [sort, descending, debounced]);

  useEffect(loadFirst, [loadFirst]);

  useEffect(() => {
    if (allTotal === null && debounced.trim()) {
      api
        .listDisclosures({ sort: 'receivedOn', descending: false, search: null, after: null, limit: 1 })
        .then((p) => setAllTotal(p.total ?? null))
        .catch(() => undefined);
    }
  }, [allTotal, debounced]);

  const loadMore = useCallback(() => {
    if (!data.next || loadingMore.current) return;
    loadingMore.current = true;
    const gen = generation.current;
    api
      .listDisclosures({ sort, descending, search: debounced.trim() || null, after: data.next, limit: PAGE })
      .then((page) => {
        if (gen !== generation.current) return;
        setData((d) => ({ rows: d.rows.concat(page.rows), next: page.next, total: d.total }));
      })
      .catch((e: unknown) => setError(e))
      .finally(() => {
        loadingMore.current = false;
      });
  }, [data.next, sort, descending, debounced]);

  const virtualizer = useVirtualizer({
    count: data.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => data.rows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : 0;
  useEffect(() => {
    if (data.next && lastIndex >= data.rows.length - 40) loadMore();
  }, [lastIndex, data.next, data.rows.length, loadMore]);

  const toggleSort = (s: DisclosureSort) => {
    if (s === sort) setDescending(!descending);
    else {
      setSort(s);
      setDescending(s === 'receivedOn');
    }
  };

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(index, data.rows.length - 1));
    virtualizer.scrollToIndex(target);
    requestAnimationFrame(() =>
      (scrollRef.current?.querySelector(`[data-index="${target}"]`) as HTMLElement | null)?.focus(),
    );
  };

  const onRowKey = (e: KeyboardEvent, index: number, id: string) => {
    if (e.key === 'Enter') props.onOpen(id);
    else if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusRow(index + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (index === 0) props.searchRef.current?.focus();
      else focusRow(index - 1);
    }
  };

  const searching = debounced.trim() !== '';
  const countText = searching
    ? t('list.countFiltered', { count: i.number(data.total), all: i.number(allTotal ?? data.total) })
    : data.total === 1
      ? t('list.countOne')
      : t('list.count', { count: i.number(data.total) });

  return (
    <section class="view list-view" aria-labelledby="list-title">
      <header class="view-header">
        <div>
          <h1 id="list-title">{t('list.title')}</h1>
          <p class="muted" id="list-count" aria-live="polite">
            {loading ? t('common.loading') : countText}
          </p>
        </div>
        <div class="toolbar">
          {props.onBoard && (
            <ViewSwitch
              label={t('view.show')}
              value="list"
              options={[
                { value: 'list', id: 'show-list', label: t('view.list') },
                { value: 'board', id: 'show-disclosure-board', label: t('view.board') },
              ]}
              onChange={props.onBoard}
            />
          )}
          <input
            id="search"
            ref={props.searchRef}
            class="search"
            type="search"
            aria-label={t('list.searchLabel')}
            placeholder={t('list.search')}
            value={props.search}
            onInput={(e) => props.onSearch(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown' && data.rows.length) {
                e.preventDefault();
                focusRow(0);
              } else if (e.key === 'Escape') props.onSearch('');
            }}
          />
          <button type="button" class="button button-primary" id="new-disclosure" onClick={props.onNew}>
            {t('list.new')}
          </button>
        </div>
      </header>
      <ErrorBanner error={error} onRetry={loadFirst} />
      <div class="table" role="table" aria-rowcount={data.total}>
        <div class="table-head" role="row">
          {COLUMNS.map((c) => (
            <div
              class={`cell ${c.cls}`}
              role="columnheader"
              aria-sort={c.sort === sort ? (descending ? 'descending' : 'ascending') : 'none'}
            >
              <button
                type="button"
                class="sort-button"
                data-sort={c.sort}
                title={t('list.sortBy', { column: t(c.label) })}
                onClick={() => toggleSort(c.sort)}
              >
                {t(c.label)}
                {c.sort === sort && <span aria-hidden="true">{descending ? ' ▼' : ' ▲'}</span>}
              </button>
            </div>
          ))}
          <div class="cell col-inventors" role="columnheader">
            {t('field.inventors')}
          </div>
        </div>
        <div class="table-body" ref={scrollRef} id="disclosure-rows">
          {!loading && data.rows.length === 0 && (
            <p class="empty">{searching ? t('list.noMatch', { query: debounced }) : t('list.empty')}</p>
          )}
          <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
            {items.map((item) => {
              const row = data.rows[item.index];
              if (!row) return null;
              return (
                <div
                  key={row.id}
                  class="table-row"
                  role="row"
                  tabIndex={0}
                  data-index={item.index}
                  data-id={row.id}
                  style={{ transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}
                  onClick={() => props.onOpen(row.id)}
                  onKeyDown={(e) => onRowKey(e, item.index, row.id)}
                >
                  <div class="cell col-ref" role="cell">{row.reference}</div>
                  <div class="cell col-title" role="cell" title={row.title}>{row.title}</div>
                  <div class="cell col-date" role="cell">{i.date(row.receivedOn)}</div>
                  <div class="cell col-faculty" role="cell">{row.faculty}</div>
                  <div class="cell col-trl" role="cell">{row.trl ?? ''}</div>
                  <div class="cell col-stage" role="cell">
                    <span class={`badge badge-${row.stage}`}>{stageLabel(i, row.stage)}</span>
                  </div>
                  <div class="cell col-inventors" role="cell" title={row.inventors}>{row.inventors}</div>
                </div>
              );
            })}
          </div>
          {data.next && <p class="muted loading-more">{t('list.loadingMore')}</p>}
        </div>
      </div>
    </section>
  );
}
