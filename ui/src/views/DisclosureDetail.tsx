// One disclosure: its fields, inventors and full history (who changed what, when).
import { api, type Activity } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n } from '../i18n';
import { decisionLabel, fieldLabel, historyValue, stageLabel } from '../lib/labels';
import { useLoad } from '../lib/useLoad';

export function DisclosureDetail(props: { id: string; onEdit: () => void; onBack: () => void }) {
  const i = useI18n();
  const { t } = i;
  const { value: detail, error } = useLoad(() => api.getDisclosure(props.id), [props.id]);

  if (!detail) {
    return (
      <section class="view">
        {error ? <ErrorBanner error={error} /> : <p class="muted">{t('common.loading')}</p>}
        <button type="button" class="button" onClick={props.onBack}>
          {t('common.back')}
        </button>
      </section>
    );
  }
  const d = detail.disclosure;
  return (
    <section class="view detail-view" aria-labelledby="detail-title">
      <header class="view-header">
        <div>
          <p class="muted" id="detail-reference">{d.reference}</p>
          <h1 id="detail-title">{d.title}</h1>
        </div>
        <div class="toolbar">
          <span class={`badge badge-${d.stage}`} id="detail-stage">
            {stageLabel(i, d.stage)}
          </span>
          <button type="button" class="button button-primary" id="edit-disclosure" onClick={props.onEdit}>
            {t('common.edit')}
          </button>
          <button type="button" class="button" id="back-to-list" onClick={props.onBack}>
            {t('common.back')}
          </button>
        </div>
      </header>
      <div class="detail-grid">
        <div class="card">
          <dl class="facts">
            <dt>{t('field.receivedOn')}</dt>
            <dd>{i.date(d.receivedOn)}</dd>
            <dt>{t('field.faculty')}</dt>
            <dd>{d.faculty || t('common.none')}</dd>
            <dt>{t('field.trl')}</dt>
            <dd>{d.trl ?? t('common.none')}</dd>
            <dt>{t('field.decision')}</dt>
            <dd>
              {decisionLabel(i, d.decision)}
              {d.decidedOn && ` (${i.date(d.decidedOn)})`}
            </dd>
            <dt>{t('field.createdAt')}</dt>
            <dd>{i.dateTime(d.createdAt)}</dd>
            <dt>{t('field.updatedAt')}</dt>
            <dd>{i.dateTime(d.updatedAt)}</dd>
          </dl>
          <h2>{t('field.summary')}</h2>
          <p class="summary">{d.summary || t('detail.noSummary')}</p>
          <h2>{t('detail.inventors')}</h2>
          <table class="simple-table" id="detail-inventors">
            <thead>
              <tr>
                <th>{t('field.inventor')}</th>
                <th>{t('field.organisation')}</th>
                <th class="num">{t('field.share')}</th>
              </tr>
            </thead>
            <tbody>
              {d.inventors.map((inv) => (
                <tr>
                  <td>{inv.name}</td>
                  <td>{inv.organisationName ?? t('common.none')}</td>
                  <td class="num">{i.percentBp(inv.shareBp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="card">
          <h2>{t('detail.history')}</h2>
          <ol class="timeline" id="history">
            {detail.history.map((a) => (
              <HistoryEntry a={a} />
            ))}
          </ol>
        </div>
      </div>
    </section>
  );
}

function HistoryEntry({ a }: { a: Activity }) {
  const i = useI18n();
  const { t } = i;
  const head =
    a.action === 'created'
      ? t('history.created', { actor: a.actor })
      : a.action === 'synced'
        ? t('history.synced', { device: a.newValue ?? '' })
        : a.action === 'stageChanged'
          ? t('history.stageChanged', { actor: a.actor })
          : t('history.updated', { actor: a.actor, field: fieldLabel(i, a.field ?? '') });
  return (
    <li class={`timeline-entry entry-${a.action}`}>
      <time dateTime={a.at}>{i.dateTime(a.at)}</time>
      <p>{head}</p>
      {a.action !== 'created' && a.action !== 'synced' && (
        <p class="change">
          <span class="old">{historyValue(i, a.field, a.oldValue)}</span>
          <span aria-label={t('history.to')}> → </span>
          <span class="new">{historyValue(i, a.field, a.newValue)}</span>
        </p>
      )}
    </li>
  );
}
