// A table of any length: the total comes with the first page, further pages of rows are
// fetched by offset as they scroll into view, and only the rows in view (plus an overscan)
// are in the DOM, so 100,000 rows scroll like 50. Rows are reachable by keyboard: ↑ ↓,
// Page Up/Down, Home and End move the focus, Enter opens the row.
import type { ComponentChildren } from 'preact';
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { Page } from '../api';
import { useI18n } from '../i18n';
import { PageCache } from './pageCache';
import { useVirtualizer } from './virtual';

export interface TableColumn<T> {
  key: string;
  label: string;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** Width as CSS (`12rem`, `20%`); the rest share what is left. */
  width?: string;
  render: (row: T) => ComponentChildren;
}

const PAGE = 100;
const ROW_HEIGHT = 36;
const HEAD_HEIGHT = 36;
/** Columns sized by their content stay between these widths, in characters. */
const MIN_CH = 6;
const MAX_CH = 42;
const MIN_PX = 48;

/** The plain text of a cell, when it is plain text (for its width and its hover title). */
function textOf(content: ComponentChildren): string | undefined {
  if (typeof content === 'string') return content;
  if (typeof content === 'number') return String(content);
  return undefined;
}

/**
 * Widths by content, in `ch`: the header or the longest of most cells (the 90th
 * percentile, so that one long title does not widen a column for every row).
 */
export function contentWidths<T>(columns: TableColumn<T>[], rows: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of columns) {
    const lengths = rows
      .map((r) => textOf(c.render(r)))
      .filter((x): x is string => x !== undefined)
      .map((x) => x.length)
      .sort((a, b) => a - b);
    const p90 = lengths.length ? lengths[Math.min(lengths.length - 1, Math.floor(lengths.length * 0.9))]! : 0;
    out[c.key] = Math.max(MIN_CH, Math.min(MAX_CH, Math.max(c.label.length + 2, p90) + 2));
  }
  return out;
}

const WIDTHS_KEY = (id: string) => `kto.columnWidths.${id}`;

function savedWidths(id: string): Record<string, number> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(WIDTHS_KEY(id)) ?? '{}');
    return v && typeof v === 'object' ? (v as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export function PagedTable<T>(props: {
  id: string;
  /** Anything that changes which rows the table holds (kind, sort, filters, search). */
  queryKey: string;
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>;
  columns: TableColumn<T>[];
  sort: string | null;
  descending: boolean;
  onSort: (key: string) => void;
  rowId: (row: T) => string;
  onOpen: (row: T) => void;
  /** Called with the number of matching rows once the first page arrives. */
  onTotal: (total: number) => void;
  onError: (e: unknown) => void;
  empty: string;
}) {
  const { t } = useI18n();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [total, setTotal] = useState<number | null>(null);
  const cache = useRef(new PageCache<T>(PAGE));
  const generation = useRef(0);
  const latest = useRef(props);
  latest.current = props;
  // Columns are sized by the content of the first page; the user may drag a column's edge
  // to resize it (remembered per table) and double-click the edge to size it by content.
  const [auto, setAuto] = useState<Record<string, number> | null>(null);
  const [dragged, setDragged] = useState<Record<string, number>>(() => savedWidths(props.id));

  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    paddingStart: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  const fetchPages = (pages: number[], gen: number, near: number) => {
    for (const p of pages) {
      latest.current
        .fetchPage(p * PAGE, PAGE)
        .then((page) => {
          if (gen !== generation.current) return;
          cache.current.put(p, page.rows, near);
          if (p === 0) setAuto((a) => a ?? (page.rows.length ? contentWidths(latest.current.columns, page.rows) : null));
          if (p === 0 && page.total !== null) {
            setTotal(page.total);
            latest.current.onTotal(page.total);
          }
          rerender(undefined);
        })
        .catch((e: unknown) => {
          if (gen !== generation.current) return;
          cache.current.release(p);
          latest.current.onError(e);
        });
    }
  };

  // A new query starts over from the first page, at the top.
  useEffect(() => {
    const gen = ++generation.current;
    cache.current = new PageCache<T>(PAGE);
    scrollRef.current?.scrollTo({ top: 0 });
    fetchPages(cache.current.claim(0, 0, 1), gen, 0);
  }, [props.queryKey]);

  useEffect(() => {
    if (total === null) return;
    fetchPages(cache.current.claim(first, last, total), generation.current, first);
  }, [first, last, total]);

  const focusRow = (index: number) => {
    if (!total) return;
    const target = Math.max(0, Math.min(index, total - 1));
    virtualizer.scrollToIndex(target, { align: 'auto' });
    const focus = (tries: number) => {
      const el = scrollRef.current?.querySelector(`tr[data-index="${target}"]`) as HTMLElement | null;
      if (el) el.focus();
      else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
    };
    requestAnimationFrame(() => focus(5));
  };

  const onRowKey = (e: KeyboardEvent, index: number, row: T | undefined) => {
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const to: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + pageRows,
      PageUp: index - pageRows,
      Home: 0,
      End: (total ?? 1) - 1,
    };
    if (e.key === 'Enter' && row) props.onOpen(row);
    else if (e.key in to) {
      e.preventDefault();
      focusRow(to[e.key]!);
    }
  };

  const resize = (key: string, e: PointerEvent) => {
    e.preventDefault();
    e.stopPropagation();
    const th = (e.currentTarget as HTMLElement).parentElement;
    const start = th?.getBoundingClientRect().width ?? 100;
    const x0 = e.clientX;
    const handle = e.currentTarget as HTMLElement;
    handle.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent) => setDragged((d) => ({ ...d, [key]: Math.max(MIN_PX, Math.round(start + m.clientX - x0)) }));
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      setDragged((d) => {
        localStorage.setItem(WIDTHS_KEY(props.id), JSON.stringify(d));
        return d;
      });
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  };
  const unsize = (key: string) =>
    setDragged((d) => {
      const { [key]: _, ...rest } = d;
      localStorage.setItem(WIDTHS_KEY(props.id), JSON.stringify(rest));
      return rest;
    });
  const widthOf = (c: TableColumn<T>) => {
    const px = dragged[c.key];
    if (px !== undefined) return `${px}px`;
    const ch = auto?.[c.key];
    return ch !== undefined ? `${ch}ch` : c.width;
  };
  const tableWidth = props.columns.every((c) => widthOf(c)?.endsWith('ch') || widthOf(c)?.endsWith('px')) ? 'max-content' : undefined;

  const cols = props.columns.length;
  const padTop = items.length ? items[0]!.start - HEAD_HEIGHT : 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;

  if (total === 0) return <p class="muted">{props.empty}</p>;
  return (
    <div class="table-scroll" ref={scrollRef}>
      <table
        class="simple-table virtual-table"
        id={props.id}
        aria-rowcount={total === null ? undefined : total + 1}
        style={tableWidth ? { minWidth: '100%', width: tableWidth } : undefined}
      >
        <colgroup>
          {props.columns.map((c) => {
            const w = widthOf(c);
            return <col data-col={c.key} style={w ? { width: w } : undefined} />;
          })}
        </colgroup>
        <thead>
          <tr style={{ height: `${HEAD_HEIGHT}px` }}>
            {props.columns.map((c) => (
              <th
                scope="col"
                class={c.numeric ? 'num' : ''}
                aria-sort={props.sort === c.key ? (props.descending ? 'descending' : 'ascending') : 'none'}
              >
                <button type="button" class="sort" data-sort={c.key} title={c.label} onClick={() => props.onSort(c.key)}>
                  {c.label}
                  {props.sort === c.key ? (props.descending ? ' ▼' : ' ▲') : ''}
                </button>
                <span
                  class="col-resizer"
                  aria-hidden="true"
                  title={t('table.resize')}
                  onPointerDown={(e) => resize(c.key, e)}
                  onDblClick={() => unsize(c.key)}
                />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && (
            <tr aria-hidden="true" class="spacer">
              <td colSpan={cols} style={{ height: `${padTop}px` }} />
            </tr>
          )}
          {items.map((item) => {
            const row = cache.current.row(item.index);
            return (
              <tr
                key={item.index}
                tabIndex={0}
                class={row ? 'clickable' : 'placeholder'}
                data-index={item.index}
                data-id={row ? props.rowId(row) : undefined}
                aria-rowindex={item.index + 2}
                style={{ height: `${ROW_HEIGHT}px` }}
                onClick={() => row && props.onOpen(row)}
                onKeyDown={(e) => onRowKey(e, item.index, row)}
              >
                {row ? (
                  props.columns.map((c) => {
                    const content = c.render(row);
                    return (
                      <td class={c.numeric ? 'num' : ''} title={textOf(content)}>
                        {content}
                      </td>
                    );
                  })
                ) : (
                  <td colSpan={cols} class="muted">
                    {t('common.loading')}
                  </td>
                )}
              </tr>
            );
          })}
          {padBottom > 0 && (
            <tr aria-hidden="true" class="spacer">
              <td colSpan={cols} style={{ height: `${padBottom}px` }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
