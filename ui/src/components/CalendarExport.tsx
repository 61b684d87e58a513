// The calendar card on My week: the deadlines and open deals' next actions as an iCalendar
// file (.ics) for Outlook or another calendar program, for the whole office or one
// responsible person. Importing a newer file updates the events instead of doubling them.
// The file field is prefilled with today's default in the Documents folder; a typed (not
// chosen) file is written only after the user confirms it, as in the data export.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, dataApi, type CalendarExported } from '../api';
import { useI18n } from '../i18n';
import { ConfirmBanner } from './ConfirmBanner';
import { ErrorBanner } from './ErrorBanner';
import { Field } from './Field';
import { OpenWritten } from './OpenWritten';
import { PathField } from './PathField';

export function CalendarExport() {
  const i = useI18n();
  const { t } = i;
  const [people, setPeople] = useState<string[]>([]);
  const [person, setPerson] = useState('');
  const [file, setFile] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<CalendarExported | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    dataApi.calendarPeople().then(setPeople).catch(setError);
    dataApi
      .suggestExportTargets()
      .then((d) => setFile((f) => f || d.calendarFile))
      .catch(setError);
  }, []);

  const exportNow = async (confirmed = false) => {
    setBusy(true);
    setError(null);
    setDone(null);
    setConfirm(null);
    try {
      setDone(await dataApi.exportCalendar(file, person || null, confirmed));
    } catch (e) {
      if (e instanceof ApiFailure && e.kind === 'confirm') setConfirm(file);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card form" id="calendar-export" aria-labelledby="calendar-export-title">
      <h2 id="calendar-export-title">{t('week.calendarTitle')}</h2>
      <p class="muted small">{t('week.calendarHint')}</p>
      <ErrorBanner error={error} />
      {confirm && (
        <ConfirmBanner
          id="calendar-confirm"
          text={t('data.confirmWrite', { path: confirm })}
          yes={t('data.writeThere')}
          onYes={() => void exportNow(true)}
          onNo={() => setConfirm(null)}
        />
      )}
      {done && (
        <div class="banner banner-ok" role="status" id="calendar-notice">
          <p>
            {t('week.calendarWritten', {
              events: i.number(done.events),
              who: done.person ?? t('week.calendarOffice'),
              from: i.date(done.from),
              until: i.date(done.until),
              path: done.path,
            })}
          </p>
          <OpenWritten path={done.path} />
        </div>
      )}
      <Field id="calendar-person" label={t('week.calendarFor')}>
        <select id="calendar-person" value={person} disabled={busy} onChange={(e) => setPerson(e.currentTarget.value)}>
          <option value="">{t('week.calendarOffice')}</option>
          {people.map((p) => (
            <option value={p}>{p}</option>
          ))}
        </select>
      </Field>
      <PathField
        id="calendar-file"
        label={t('week.calendarFile')}
        value={file}
        onInput={setFile}
        pick="file"
        pickTitle={t('week.calendarChoose')}
        onError={setError}
        disabled={busy}
        action={{ id: 'calendar-export-now', label: t('week.calendarExport'), run: () => void exportNow() }}
      />
    </section>
  );
}
