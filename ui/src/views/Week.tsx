// My week: the start page. Overdue and upcoming next actions of open deals, and a chart of
// the open pipeline a head of office reads in five seconds.
import { useEffect, useState } from 'preact/hooks';
import { api, type NextAction, type Pipeline, type RecordDeadline, type RecordKind, type StageTotal, type Week as WeekT } from '../api';
import type { MessageKey } from '../i18n';
import { CalendarExport } from '../components/CalendarExport';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n } from '../i18n';
import { deadlineLabel, PIPELINES, pipelineLabel, stageName } from '../lib/labels';

const DAY_MS = 86_400_000;

export function Week(props: { onOpenDeal: (id: string, pipeline: Pipeline) => void; onOpenRecord: (kind: RecordKind, id: string) => void }) {
  const i = useI18n();
  const { t } = i;
  const [week, setWeek] = useState<WeekT | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api
      .getWeek()
      .then((w) => {
        setWeek(w);
        // After this paint the start page is usable.
        requestAnimationFrame(() => void api.appReady('week').catch(() => undefined));
      })
      .catch(setError);
  }, []);
  if (!week) return <section class="view">{error ? <ErrorBanner error={error} /> : <p class="muted">{t('common.loading')}</p>}</section>;

  const late = (a: NextAction) => Math.round((Date.parse(week.today) - Date.parse(a.due)) / DAY_MS);
  const list = (items: NextAction[], id: string, empty: string) =>
    items.length === 0 ? (
      <p class="muted" id={id}>
        {empty}
      </p>
    ) : (
      <ul class="actions" id={id}>
        {items.map((a) => (
          <li>
            <button type="button" class="action-link" onClick={() => props.onOpenDeal(a.dealId, a.pipeline)}>
              <span class="action-due">
                {a.due === week.today ? t('week.dueToday') : i.date(a.due)}
                {a.due < week.today && <strong> · {t('week.daysLate', { days: late(a) })}</strong>}
              </span>
              <span class="action-text">{a.action}</span>
              <span class="muted small">
                {a.title} · {pipelineLabel(i, a.pipeline)} · {stageName(i, a.stage)}
                {a.organisationName && ` · ${a.organisationName}`}
              </span>
            </button>
          </li>
        ))}
      </ul>
    );

  return (
    <section class="view week-view" aria-labelledby="week-title">
      <header class="view-header">
        <h1 id="week-title">{t('week.title')}</h1>
        <p class="muted">{i.date(week.today)}</p>
      </header>
      <div class="detail-grid">
        <div class="card">
          <h2 class="overdue-heading">
            {t('week.overdue')} ({week.overdueCount})
          </h2>
          {list(week.overdue, 'overdue', t('week.nothingOverdue'))}
          {week.overdueCount > week.overdue.length && <p class="muted small">{t('week.more', { n: i.number(week.overdueCount - week.overdue.length) })}</p>}
          <h2>
            {t('week.upcoming')} ({week.upcomingCount})
          </h2>
          {list(week.upcoming, 'upcoming', t('week.nothingUpcoming'))}
          {week.upcomingCount > week.upcoming.length && <p class="muted small">{t('week.more', { n: i.number(week.upcomingCount - week.upcoming.length) })}</p>}
          <h2>
            {t('week.deadlines')} ({week.deadlineCount})
          </h2>
          <Deadlines items={week.deadlines} today={week.today} onOpen={props.onOpenRecord} />
          {week.deadlineCount > week.deadlines.length && <p class="muted small">{t('week.moreDeadlines', { n: i.number(week.deadlineCount - week.deadlines.length) })}</p>}
        </div>
        <div class="week-side">
          <PipelineChart stages={week.stages} />
          <CalendarExport />
        </div>
      </div>
    </section>
  );
}

function PipelineChart({ stages }: { stages: StageTotal[] }) {
  const i = useI18n();
  const { t } = i;
  const open = stages.filter((s) => s.stage.outcome === 'open');
  const max = Math.max(1, ...open.map((s) => s.total));
  return (
    <figure class="card chart" id="pipeline-chart" aria-labelledby="chart-title">
      <h2 id="chart-title">{t('week.chart')}</h2>
      <figcaption class="muted small">{t('week.chartHint')}</figcaption>
      {PIPELINES.map((p) => (
        <div class="chart-group">
          <h3>{pipelineLabel(i, p)}</h3>
          {open
            .filter((s) => s.stage.pipeline === p)
            .map((s) => (
              <div class="chart-row" title={`${stageName(i, s.stage)}: ${s.count} · ${i.euros(s.total)}`}>
                <span class="chart-label">{stageName(i, s.stage)}</span>
                <span class="chart-track">
                  <span class="chart-bar" style={{ width: `${(100 * s.total) / max}%` }} />
                </span>
                <span class="chart-value">
                  {s.count} · {i.euros(s.total)}
                </span>
              </div>
            ))}
        </div>
      ))}
    </figure>
  );
}

function Deadlines(props: { items: RecordDeadline[]; today: string; onOpen: (kind: RecordKind, id: string) => void }) {
  const i = useI18n();
  const { t } = i;
  if (props.items.length === 0) return <p class="muted" id="deadlines">{t('week.noDeadlines')}</p>;
  return (
    <ul class="actions" id="deadlines">
      {props.items.map((d) => (
        <li>
          <button type="button" class="action-link" onClick={() => props.onOpen(d.recordKind, d.recordId)}>
            <span class="action-due">
              {d.due === props.today ? t('week.dueToday') : i.date(d.due)}
              {d.due < props.today && <strong> · {t('week.overdue')}</strong>}
            </span>
            <span class="action-text">
              {deadlineLabel(i, d)}
            </span>
            <span class="muted small">
              {d.title} · {t(`rk1.${d.recordKind}` as MessageKey)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
