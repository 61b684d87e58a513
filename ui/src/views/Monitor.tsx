// The office head's yearly monitor: pick a year, set the institution and the office inputs,
// read every figure with its breakdowns and its change since the last signed year, drill
// down to the records a figure counts, see the data-quality warnings, then sign and save.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  api,
  monitorApi,
  type CountedRecord,
  type Figure,
  type IndicatorDef,
  type MonitorOverview,
  type MonitorRecordKind,
  type QualityWarning,
  type RecordKind,
  type SubmissionRecord,
} from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { InstitutionForm, InputsForm } from './MonitorForms';
import { SigningPanel, Submissions } from './MonitorSigning';
import { breakdownLabel, chartHistory, CHART_CODES, difference, fieldName, fieldToFix, openableKind, valueText, type YearPoint } from '../lib/monitorLogic';
import './monitor.css';

export interface MonitorProps {
  /** Opens a record; with `field`, its form at the field to fix. */
  onOpenRecord: (kind: RecordKind, id: string, field?: string) => void;
  /** The app's data folder: where keys and submissions are kept. */
  dataDir: string;
}

const defName = (i: I18n, d: IndicatorDef | undefined, code: string) => (d ? (i.lang === 'nl' ? d.nameNl : d.nameEn) : code);
const kindText = (i: I18n, k: MonitorRecordKind) => i.t(`mon.kind.${k}` as MessageKey);

export function Monitor(props: MonitorProps) {
  const i = useI18n();
  const { t } = i;
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear - 1);
  const [overview, setOverview] = useState<MonitorOverview | null>(null);
  const [submissions, setSubmissions] = useState<SubmissionRecord[]>([]);
  const [hasInstitution, setHasInstitution] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [drill, setDrill] = useState<{ code: string; records: CountedRecord[] | null } | null>(null);

  const load = (y: number) => {
    setError(null);
    monitorApi
      .overview(y)
      .then((o) => (o.result.period.year === y ? setOverview(o) : undefined))
      .catch(setError);
    monitorApi.listSubmissions().then(setSubmissions).catch(setError);
  };
  useEffect(() => {
    setOverview(null);
    setDrill(null);
    load(year);
  }, [year]);

  const openDrill = (code: string) => {
    setDrill({ code, records: null });
    monitorApi
      .figureRecords(year, code)
      .then((records) => setDrill({ code, records }))
      .catch(setError);
  };

  const years = Array.from(new Set([...Array.from({ length: 10 }, (_, k) => thisYear - k), ...submissions.map((s) => s.year)])).sort(
    (a, b) => b - a,
  );
  const defs = overview?.definitions.indicators ?? [];
  const def = (code: string) => defs.find((d) => d.code === code);

  return (
    <section class="view monitor-view" aria-labelledby="monitor-title">
      <header class="view-header">
        <div>
          <h1 id="monitor-title">{t('mon.title')}</h1>
          {overview && (
            <p class="muted" id="mon-period">
              {t('mon.period', {
                start: i.date(overview.result.period.start),
                end: i.date(overview.result.period.end),
                version: overview.result.definitionVersion,
              })}
            </p>
          )}
        </div>
        <div class="field mon-year">
          <label for="mon-year">{t('mon.year')}</label>
          <select id="mon-year" value={String(year)} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {years.map((y) => (
              <option value={String(y)}>{y}</option>
            ))}
          </select>
        </div>
      </header>
      <ErrorBanner error={error} onRetry={() => load(year)} />
      {overview?.empty && (
        <div class="banner banner-warn" role="status" id="mon-empty">
          {t('mon.emptyYear', { year })}
        </div>
      )}
      <div class="mon-grid">
        <div class="mon-main">
          {overview ? (
            <FiguresTable overview={overview} def={def} onDrill={openDrill} selected={drill?.code ?? null} />
          ) : (
            !error && <p class="muted">{t('common.loading')}</p>
          )}
          {drill && overview && (
            <Drill
              name={defName(i, def(drill.code), drill.code)}
              year={year}
              records={drill.records}
              onClose={() => setDrill(null)}
              onOpen={props.onOpenRecord}
            />
          )}
        </div>
        <aside class="mon-side">
          <InstitutionForm onSaved={() => load(year)} onInstitution={setHasInstitution} />
          <InputsForm year={year} onSaved={() => load(year)} />
          {overview && <Chart points={chartHistory(submissions, year, overview.result.figures)} def={def} year={year} />}
        </aside>
      </div>
      {overview && <Checks overview={overview} def={def} onOpen={props.onOpenRecord} />}
      {overview && (
        <SigningPanel
          year={year}
          overview={overview}
          hasInstitution={hasInstitution}
          dataDir={props.dataDir}
          onSigned={() => load(year)}
        />
      )}
      <Submissions submissions={submissions} />
    </section>
  );
}

function FigureValueCell({ figure }: { figure: Figure }) {
  const i = useI18n();
  const text = valueText(i, figure.value);
  if (text !== null) return <span class="value">{text}</span>;
  const reason = figure.value.type === 'notAvailable' ? figure.value.value.reason : 'invalidRecords';
  return (
    <span class="not-available">
      <span class="na-badge">{i.t('mon.notAvailable')}</span>
      <span class="small muted na-reason">{i.t(`mon.na.${reason}` as MessageKey)}</span>
    </span>
  );
}

function FiguresTable(props: {
  overview: MonitorOverview;
  def: (code: string) => IndicatorDef | undefined;
  onDrill: (code: string) => void;
  selected: string | null;
}) {
  const i = useI18n();
  const { t } = i;
  const { overview } = props;
  const prev = overview.comparedWith;
  return (
    <div class="card">
      <h2>{t('mon.figures')}</h2>
      {!prev && <p class="muted small">{t('mon.noComparison')}</p>}
      <table class="simple-table mon-figures" id="mon-figures">
        <thead>
          <tr>
            <th>{t('mon.indicator')}</th>
            <th class="num">{t('mon.value')}</th>
            <th class="num">{prev ? t('mon.change', { year: prev.year }) : t('mon.changeNone')}</th>
            <th class="num">{t('mon.records')}</th>
          </tr>
        </thead>
        <tbody>
          {overview.result.figures.map((f) => {
            const d = props.def(f.code);
            const before = prev?.figures.find((p) => p.code === f.code);
            const moved = overview.changes.find((c) => c.code === f.code);
            const shown = f.breakdowns.filter((b) => b.value.type !== 'notAvailable' && b.value.value !== 0);
            return (
              <tr id={`fig-${f.code}`} class={`${props.selected === f.code ? 'selected' : ''} ${moved ? 'moved' : ''}`}>
                <td>
                  <span class="fig-name">{defName(i, d, f.code)}</span> <span class="muted small">{f.code}</span>
                  {shown.length > 0 && (
                    <span class="breakdowns small">
                      {shown.map((b) => `${breakdownLabel(i, b.key)} ${valueText(i, b.value) ?? ''}`).join(' · ')}
                    </span>
                  )}
                </td>
                <td class="num">
                  <FigureValueCell figure={f} />
                </td>
                <td class="num small">
                  {before ? (
                    <>
                      <span class="muted">{valueText(i, before.value) ?? t('mon.notAvailable')}</span>
                      {difference(i, before.value, f.value) && <> → {difference(i, before.value, f.value)}</>}
                      {moved && <strong class="moved-tag"> · {t(`mon.moved.${moved.kind}` as MessageKey)}</strong>}
                    </>
                  ) : (
                    <span class="muted">{t('common.none')}</span>
                  )}
                </td>
                <td class="num">
                  <button
                    type="button"
                    class="link-button figure-open"
                    id={`drill-${f.code}`}
                    aria-pressed={props.selected === f.code}
                    onClick={() => props.onDrill(f.code)}
                  >
                    {f.recordIds.length === 1 ? t('mon.showRecord') : t('mon.showRecords', { count: f.recordIds.length })}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Drill(props: {
  name: string;
  year: number;
  records: CountedRecord[] | null;
  onClose: () => void;
  onOpen: (kind: RecordKind, id: string) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const ref = useRef<HTMLDivElement>(null);
  // The table is long: bring the records into view where the user clicked.
  useEffect(() => ref.current?.scrollIntoView({ block: 'nearest' }), [props.name, props.records]);
  const hasAmounts = (props.records ?? []).some((r) => r.amount != null);
  return (
    <div class="card mon-drill" id="mon-drill" ref={ref} role="region" aria-labelledby="mon-drill-title">
      <div class="mon-card-head">
        <h2 id="mon-drill-title">{t('mon.drill', { name: props.name, year: props.year })}</h2>
        <button type="button" class="button button-quiet" id="close-drill" onClick={props.onClose}>
          {t('mon.close')}
        </button>
      </div>
      {props.records === null ? (
        <p class="muted">{t('common.loading')}</p>
      ) : props.records.length === 0 ? (
        <p class="muted">{t('mon.drillNone')}</p>
      ) : (
        <table class="simple-table">
          <thead>
            <tr>
              <th>{t('mon.kind')}</th>
              <th>{t('mon.recordTitle')}</th>
              <th>{t('mon.recordDate')}</th>
              {hasAmounts && <th class="num">{t('mon.recordAmount')}</th>}
            </tr>
          </thead>
          <tbody>
            {props.records.map((r) => {
              const kind = openableKind(r.kind);
              return (
                <tr>
                  <td class="nowrap">{kindText(i, r.kind)}</td>
                  <td>
                    {kind ? (
                      <button type="button" class="link-button drill-record" onClick={() => props.onOpen(kind, r.id)}>
                        {r.title}
                      </button>
                    ) : (
                      <span class="drill-record">{r.kind === 'officeInputs' ? t('mon.drillInputs', { year: props.year }) : r.title}</span>
                    )}
                  </td>
                  <td class="nowrap">{r.date ? i.date(r.date) : ''}</td>
                  {hasAmounts && <td class="num nowrap">{r.amount != null ? i.euros(r.amount) : ''}</td>}
                </tr>
              );
            })}
          </tbody>
          {hasAmounts && (
            <tfoot>
              <tr id="drill-total">
                <th colSpan={3}>{t('mon.drillTotal', { n: props.records.length })}</th>
                <td class="num nowrap">{i.euros(props.records.reduce((sum, r) => sum + (r.amount ?? 0), 0))}</td>
              </tr>
            </tfoot>
          )}
        </table>
      )}
    </div>
  );
}

const SERIES_COLOURS = ['#1d4e89', '#f2b134', '#1e7a45', '#b42318'];

/** Grouped bars per year for the main indicators, drawn with SVG attributes only (strict CSP). */
function Chart(props: { points: YearPoint[]; def: (code: string) => IndicatorDef | undefined; year: number }) {
  const i = useI18n();
  const { t } = i;
  const history = props.points.filter((p) => !p.current);
  if (history.length === 0) {
    return (
      <div class="card" id="mon-chart">
        <h2>{t('mon.chart')}</h2>
        <p class="muted small">{t('mon.chartNoHistory')}</p>
      </div>
    );
  }
  const W = 360;
  const H = 170;
  const top = 12;
  const bottom = 34;
  const left = 28;
  const max = Math.max(1, ...props.points.flatMap((p) => p.values.map((v) => v ?? 0)));
  const groupW = (W - left - 4) / props.points.length;
  const barW = Math.max(3, Math.min(16, (groupW - 8) / CHART_CODES.length));
  const y = (v: number) => top + (H - top - bottom) * (1 - v / max);
  return (
    <figure class="card chart" id="mon-chart" aria-labelledby="mon-chart-title">
      <h2 id="mon-chart-title">{t('mon.chart')}</h2>
      <figcaption class="muted small">{t('mon.chartHint', { year: props.year })}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={t('mon.chart')}>
        <line x1={left} x2={W} y1={y(0)} y2={y(0)} stroke="#d9dee6" />
        <text x={left - 4} y={y(max) + 4} text-anchor="end" font-size="9" fill="#5b6675">
          {i.number(max)}
        </text>
        <text x={left - 4} y={y(0)} text-anchor="end" font-size="9" fill="#5b6675">
          0
        </text>
        {props.points.map((p, k) => {
          const x0 = left + k * groupW + (groupW - barW * CHART_CODES.length) / 2;
          return (
            <g>
              {p.values.map((v, s) =>
                v === null ? null : (
                  <rect
                    x={x0 + s * barW}
                    y={y(v)}
                    width={barW - 1}
                    height={Math.max(0, y(0) - y(v))}
                    fill={SERIES_COLOURS[s]}
                    fill-opacity={p.current ? 0.55 : 1}
                  >
                    <title>{`${defName(i, props.def(CHART_CODES[s] ?? ''), CHART_CODES[s] ?? '')} ${p.year}: ${i.number(v)}`}</title>
                  </rect>
                ),
              )}
              <text x={left + k * groupW + groupW / 2} y={H - bottom + 13} text-anchor="middle" font-size="10" fill="#1b2430">
                {p.year}
              </text>
              {p.current && (
                <text x={left + k * groupW + groupW / 2} y={H - bottom + 24} text-anchor="middle" font-size="9" fill="#5b6675">
                  {t('mon.chartUnsigned')}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul class="mon-legend small">
        {CHART_CODES.map((c, s) => (
          <li>
            <svg width="10" height="10" aria-hidden="true">
              <rect width="10" height="10" fill={SERIES_COLOURS[s]} />
            </svg>{' '}
            {defName(i, props.def(c), c)}
          </li>
        ))}
      </ul>
    </figure>
  );
}

const INPUT_FIELDS: Record<string, MessageKey> = {
  researchExpenditure: 'mon.researchExpenditure',
  researchFte: 'mon.researchFte',
  ktoFte: 'mon.ktoFte',
};

function problemSentence(i: I18n, w: QualityWarning): string {
  const p = w.problem;
  const field = (f: string) => (INPUT_FIELDS[f] ? i.t(INPUT_FIELDS[f]) : fieldName(i, f));
  switch (p.type) {
    case 'missingKind':
      // Kinds the record does not hold itself: say where they come from.
      if (p.field === 'partnerKind' && w.recordKind !== 'contribution') return i.t('mon.q.partnerKindOfCounterparty');
      if (p.field === 'sourceAgreementKind') return i.t('mon.q.incomeWithoutAgreement');
      return i.t('mon.q.missingKind', { field: field(p.field).toLowerCase() });
    case 'missingDate':
    case 'missingValue':
    case 'negativeAmount':
    case 'missingInput':
    case 'conflictingInputs':
      return cap(i.t(`mon.q.${p.type}` as MessageKey, { field: field(p.field) }));
    case 'inventorSharesNot100':
      return cap(i.t('mon.q.inventorSharesNot100', { sum: i.percentBp(p.sumBp) }));
    case 'multiplePriorityFilings':
      return cap(i.t('mon.q.multiplePriorityFilings', { family: p.familyId }));
    default:
      return cap(i.t(`mon.q.${p.type}` as MessageKey));
  }
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Titles of the records warnings name, looked up once per record. */
function useTitles(warnings: QualityWarning[]): Record<string, string> {
  const [titles, setTitles] = useState<Record<string, string>>({});
  const key = warnings.map((w) => w.recordId ?? '').join();
  useEffect(() => {
    let live = true;
    const wanted = new Map<string, RecordKind>();
    for (const w of warnings) {
      const kind = openableKind(w.recordKind);
      if (w.recordId && kind) wanted.set(w.recordId, kind);
    }
    Promise.all(
      [...wanted].map(([id, kind]) =>
        (kind === 'disclosure'
          ? api.getDisclosure(id).then((d) => `${d.disclosure.reference} ${d.disclosure.title}`)
          : api.getRecord(kind, id).then((r) => r.title)
        )
          .then((title): [string, string] => [id, title])
          .catch((): [string, string] => [id, '']),
      ),
    ).then((pairs) => live && setTitles(Object.fromEntries(pairs.filter(([, title]) => title))));
    return () => {
      live = false;
    };
  }, [key]);
  return titles;
}

function Checks(props: {
  overview: MonitorOverview;
  def: (code: string) => IndicatorDef | undefined;
  onOpen: (kind: RecordKind, id: string, field?: string) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const { quality, changes, comparedWith } = props.overview;
  const titles = useTitles(quality);
  const year = props.overview.result.period.year;
  return (
    <div class={`card mon-checks ${quality.length > 0 ? 'has-warnings' : ''}`} id="mon-checks">
      <h2>{t('mon.checks')}</h2>
      {quality.length === 0 ? (
        <p class="muted" id="mon-quality">
          {t('mon.checksNone', { year })}
        </p>
      ) : (
        <>
          <p class="warn-line">{t('mon.checksCount', { count: quality.length })}</p>
          <ul class="mon-quality" id="mon-quality">
            {quality.map((w) => {
              const kind = openableKind(w.recordKind);
              const title = w.recordId ? titles[w.recordId] ?? `${w.recordId.slice(0, 8)}…` : null;
              return (
                <li>
                  <span class="muted small">{kindText(i, w.recordKind)}</span>{' '}
                  {w.recordId && kind ? (
                    <button type="button" class="link-button quality-record" onClick={() => props.onOpen(kind, w.recordId ?? '', fieldToFix(w) ?? undefined)}>
                      {title}
                    </button>
                  ) : w.recordKind === 'officeInputs' ? (
                    <a class="link-button" href="#mon-inputs">
                      {t('mon.drillInputs', { year })}
                    </a>
                  ) : (
                    <span>{t('mon.recordMissing')}</span>
                  )}
                  {': '}
                  {problemSentence(i, w)}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {comparedWith && changes.length > 0 && (
        <>
          <h3>{t('mon.changes', { year: comparedWith.year })}</h3>
          <ul class="mon-quality" id="mon-changes">
            {changes.map((c) => (
              <li>
                <strong>{defName(i, props.def(c.code), c.code)}</strong>: {valueText(i, c.previous) ?? t('mon.notAvailable')} →{' '}
                {valueText(i, c.current) ?? t('mon.notAvailable')} ({t(`mon.moved.${c.kind}` as MessageKey)})
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
