// The National area, for the coordinator of the national monitor: the registry of the
// offices' public keys, the inbox of signed submissions with each file's status, the
// national figures with the offices behind each one and the European peers beside it,
// and the signed national report.
import { useEffect, useState } from 'preact/hooks';
import {
  ApiFailure,
  dataApi,
  nationalApi,
  type BenchmarkSet,
  type FigureTotal,
  type NationalInbox,
  type NationalKeys,
  type NationalOutputs,
  type YearAggregate,
} from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { Modal } from '../components/Modal';
import { OpenWritten } from '../components/OpenWritten';
import { useI18n } from '../i18n';
import { fileStatus, inboxCounts, peerText, peerValue, publicKeyText, ratioValue, unitValue } from '../lib/nationalLogic';
import './monitor.css';
import './national.css';

type Errors = Record<string, string>;

/** The inbox folder is remembered across restarts: the coordinator uses one folder a year. */
const INBOX_KEY = 'kto.national.inbox';

export function National(props: { dataDir: string }) {
  const { t } = useI18n();
  const [keys, setKeys] = useState<NationalKeys | null>(null);
  const [benchmark, setBenchmark] = useState<BenchmarkSet | null>(null);
  const [inbox, setInbox] = useState<NationalInbox | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    nationalApi.keys().then(setKeys).catch(setError);
    nationalApi.benchmark().then(setBenchmark).catch(setError);
  }, []);

  return (
    <section class="view nat-view" aria-labelledby="nat-title">
      <header class="view-header">
        <h1 id="nat-title">{t('nat.title')}</h1>
      </header>
      <p class="muted">{t('nat.intro')}</p>
      <ErrorBanner error={error} />
      <KeysCard keys={keys} onChanged={setKeys} />
      <InboxCard dataDir={props.dataDir} onChecked={setInbox} />
      {inbox && <Figures inbox={inbox} benchmark={benchmark} />}
      <ReportCard keys={keys} inbox={inbox} dataDir={props.dataDir} onKeys={setKeys} />
      {benchmark && <Benchmark set={benchmark} inbox={inbox} />}
    </section>
  );
}

async function fileText(input: HTMLInputElement): Promise<string> {
  const f = input.files?.[0];
  return f ? await f.text() : '';
}

function KeysCard(props: { keys: NationalKeys | null; onChanged: (k: NationalKeys) => void }) {
  const i = useI18n();
  const { t } = i;
  const [institution, setInstitution] = useState('');
  const [name, setName] = useState('');
  const [pub, setPub] = useState('');
  const [rotInstitution, setRotInstitution] = useState('');
  const [rotPub, setRotPub] = useState('');
  const [rotYear, setRotYear] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const keys = props.keys?.keys ?? [];
  const active = keys.filter((k) => k.last_year === null);

  const register = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const errs: Errors = {};
    if (!institution.trim()) errs['nat-inst'] = t('nat.err.institution');
    if (!name.trim()) errs['nat-name'] = t('nat.err.name');
    const text = publicKeyText(pub);
    if (!text) errs['nat-pub'] = t('nat.err.pub');
    setErrors(errs);
    if (Object.keys(errs).length || !text) return;
    try {
      const next = await nationalApi.registerKey(text, institution.trim(), name.trim());
      const added = next.keys[next.keys.length - 1];
      props.onChanged(next);
      setNotice(t('nat.registered', { key: added?.key_id ?? '', institution: institution.trim() }));
      setInstitution('');
      setName('');
      setPub('');
    } catch (err) {
      setError(err);
    }
  };

  const rotate = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const errs: Errors = {};
    const text = publicKeyText(rotPub);
    if (!text) errs['nat-rot-pub'] = t('nat.err.pub');
    if (!/^\d{4}$/.test(rotYear.trim())) errs['nat-rot-year'] = t('nat.err.year');
    setErrors(errs);
    if (Object.keys(errs).length || !text) return;
    const inst = rotInstitution || active[0]?.institution_id || '';
    try {
      const next = await nationalApi.rotateKey(inst, text, Number(rotYear.trim()));
      props.onChanged(next);
      const added = next.keys[next.keys.length - 1];
      setNotice(t('nat.rotated', { key: added?.key_id ?? '', institution: inst, year: rotYear.trim() }));
      setRotPub('');
      setRotYear('');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="card" id="nat-keys">
      <h2>{t('nat.keys')}</h2>
      {notice && (
        <div class="banner banner-ok" role="status" id="nat-keys-notice">
          {notice}
        </div>
      )}
      <ErrorBanner error={error} />
      {props.keys && keys.length === 0 && <p class="muted">{t('nat.keysNone')}</p>}
      {keys.length > 0 && (
        <table class="simple-table" id="nat-key-list">
          <thead>
            <tr>
              <th scope="col">{t('nat.institution')}</th>
              <th scope="col">{t('nat.name')}</th>
              <th scope="col">{t('nat.keyId')}</th>
              <th scope="col">{t('nat.status')}</th>
              <th scope="col">{t('nat.registeredOn')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.key_id} title={k.fingerprint}>
                <td>{k.institution_id}</td>
                <td>{k.institution_name}</td>
                <td class="path">{k.key_id}</td>
                <td>{k.last_year === null ? t('nat.active') : t('nat.validUpTo', { year: k.last_year })}</td>
                <td>{i.date(k.registered_on)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="form" id="nat-register" onSubmit={register} noValidate>
        <div class="form-grid">
          <Field id="nat-inst" label={t('nat.institution')} hint={t('nat.institutionHint')} error={errors['nat-inst']} required>
            <input id="nat-inst" value={institution} onInput={(e) => setInstitution(e.currentTarget.value)} />
          </Field>
          <Field id="nat-name" label={t('nat.name')} error={errors['nat-name']} required>
            <input id="nat-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
        </div>
        <Field id="nat-pub-file" label={t('nat.pubFile')}>
          <input id="nat-pub-file" type="file" accept=".pub,text/plain" onChange={(e) => void fileText(e.currentTarget).then(setPub)} />
        </Field>
        <Field id="nat-pub" label={t('nat.pubText')} error={errors['nat-pub']}>
          <textarea id="nat-pub" class="path" rows={2} value={pub} onInput={(e) => setPub(e.currentTarget.value)} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="button button-primary" id="nat-register-key">
            {t('nat.register')}
          </button>
        </div>
      </form>
      {active.length > 0 && (
        <details class="nat-rotate">
          <summary>{t('nat.rotate')}</summary>
          <form class="form" id="nat-rotate" onSubmit={rotate} noValidate>
            <p class="field-hint">{t('nat.rotateHint')}</p>
            <div class="form-grid">
              <Field id="nat-rot-inst" label={t('nat.institution')}>
                <select id="nat-rot-inst" value={rotInstitution || active[0]?.institution_id} onChange={(e) => setRotInstitution(e.currentTarget.value)}>
                  {active.map((k) => (
                    <option value={k.institution_id}>
                      {k.institution_id} · {k.institution_name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="nat-rot-year" label={t('nat.lastYear')} error={errors['nat-rot-year']} required>
                <input id="nat-rot-year" inputMode="numeric" value={rotYear} onInput={(e) => setRotYear(e.currentTarget.value)} />
              </Field>
            </div>
            <Field id="nat-rot-file" label={t('nat.pubFile')}>
              <input id="nat-rot-file" type="file" accept=".pub,text/plain" onChange={(e) => void fileText(e.currentTarget).then(setRotPub)} />
            </Field>
            <Field id="nat-rot-pub" label={t('nat.pubText')} error={errors['nat-rot-pub']}>
              <textarea id="nat-rot-pub" class="path" rows={2} value={rotPub} onInput={(e) => setRotPub(e.currentTarget.value)} />
            </Field>
            <div class="form-actions">
              <button type="submit" class="button" id="nat-rotate-key">
                {t('nat.rotateButton')}
              </button>
            </div>
          </form>
        </details>
      )}
    </div>
  );
}

function InboxCard(props: { dataDir: string; onChecked: (inbox: NationalInbox | null) => void }) {
  const i = useI18n();
  const { t } = i;
  const [folder, setFolder] = useState(() => localStorage.getItem(INBOX_KEY) ?? '');
  const [result, setResult] = useState<NationalInbox | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const check = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const r = await nationalApi.checkInbox(folder.trim());
      localStorage.setItem(INBOX_KEY, r.folder);
      setFolder(r.folder);
      setResult(r);
      props.onChecked(r);
    } catch (err) {
      setError(err);
      setResult(null);
      props.onChecked(null);
    } finally {
      setBusy(false);
    }
  };
  const choose = async () => {
    try {
      const picked = await dataApi.chooseFolder(folder || props.dataDir, t('nat.folder'));
      if (picked) setFolder(picked);
    } catch (err) {
      setError(err);
    }
  };
  const counts = result ? inboxCounts(result.files) : null;
  return (
    <div class="card" id="nat-inbox">
      <h2>{t('nat.inbox')}</h2>
      <form class="form" id="nat-check-form" onSubmit={check} noValidate>
        <Field id="nat-folder" label={t('nat.folder')} hint={t('nat.inboxHint')}>
          <div class="path-row">
            <input id="nat-folder" class="path" value={folder} onInput={(e) => setFolder(e.currentTarget.value)} />
            <button type="button" class="button" onClick={() => void choose()}>
              {t('nat.choose')}
            </button>
          </div>
        </Field>
        <div class="form-actions">
          <button type="submit" class="button button-primary" id="nat-check" disabled={busy}>
            {busy ? t('nat.checking') : t('nat.check')}
          </button>
        </div>
      </form>
      <ErrorBanner error={error} />
      {result && counts && (
        <>
          <p id="nat-summary" role="status">
            {t('nat.summary', counts)}
          </p>
          <table class="simple-table" id="nat-files">
            <thead>
              <tr>
                <th scope="col">{t('nat.file')}</th>
                <th scope="col">{t('nat.office')}</th>
                <th scope="col">{t('nat.year')}</th>
                <th scope="col">{t('nat.fileStatus')}</th>
              </tr>
            </thead>
            <tbody>
              {result.files.map((f) => (
                <tr key={f.file} class={`nat-${f.status}`} data-file={f.file}>
                  <td class="path">{f.file}</td>
                  <td>{f.institutionName ?? f.institutionId ?? '–'}</td>
                  <td>{f.year ?? '–'}</td>
                  <td>
                    <strong>{fileStatus(i, f)}</strong>
                    {f.status === 'refused' && <div class="small muted nat-reason">{f.message}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function Figures(props: { inbox: NationalInbox; benchmark: BenchmarkSet | null }) {
  const i = useI18n();
  const { t } = i;
  const years = props.inbox.aggregate?.years ?? [];
  const [year, setYear] = useState<number | null>(null);
  const [drill, setDrill] = useState<FigureTotal | null>(null);
  const shown: YearAggregate | undefined = years.find((y) => y.year === year) ?? years[years.length - 1];
  if (!shown) {
    return (
      <div class="card" id="nat-figures">
        <p class="muted">{t('nat.figuresNone')}</p>
      </div>
    );
  }
  const label = (f: FigureTotal) => (i.lang === 'nl' ? f.labelNl : f.labelEn);
  const name = (id: string) => props.inbox.aggregate?.submissions.find((s) => s.institutionId === id)?.institutionName ?? id;
  return (
    <div class="card" id="nat-figures">
      <header class="card-header">
        <h2 id="nat-figures-title">{t('nat.figures', { year: shown.year })}</h2>
        {years.length > 1 && (
          <select id="nat-year" aria-label={t('nat.year')} value={shown.year} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {years.map((y) => (
              <option value={y.year}>{y.year}</option>
            ))}
          </select>
        )}
      </header>
      {shown.mixedDefinitions && <p class="banner banner-warn">{t('nat.mixed')}</p>}
      <table class="simple-table" id="nat-figure-table">
        <thead>
          <tr>
            <th scope="col">{t('nat.indicator')}</th>
            <th scope="col" class="num">{t('nat.total')}</th>
            <th scope="col" class="num">{t('nat.per100m')}</th>
            <th scope="col" class="num">{t('nat.per1000')}</th>
            <th scope="col">{t('nat.offices')}</th>
            <th scope="col">{t('nat.peers')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.figures.map((f) => (
            <tr key={`${f.code}-${f.definitionVersion}`} data-code={f.code}>
              <td>
                <button type="button" class="link-button" onClick={() => setDrill(f)}>
                  {label(f)}
                </button>
                {shown.mixedDefinitions && <span class="small muted"> · {f.definitionVersion}</span>}
              </td>
              <td class="num nat-total">{unitValue(i, f.unit, f.total)}</td>
              <td class="num">{ratioValue(i, f.unit, f.per100mResearchExpenditure?.value)}</td>
              <td class="num">{ratioValue(i, f.unit, f.per1000ResearchFte?.value)}</td>
              <td class="nat-offices">
                {t('nat.counted', { n: f.institutionsCounted.length })}
                {f.institutionsLacking.length > 0 && (
                  <span class="warn-text"> · {t('nat.lacking', { offices: f.institutionsLacking.map(name).join(', ') })}</span>
                )}
              </td>
              <td class="small">{props.benchmark ? peerText(i, props.benchmark.figures, f.code) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {drill && (
        <Modal id="nat-drill" labelledBy="nat-drill-title" onClose={() => setDrill(null)}>
          <h2 id="nat-drill-title">{t('nat.drill', { indicator: label(drill) })}</h2>
          <table class="simple-table">
            <thead>
              <tr>
                <th scope="col">{t('nat.office')}</th>
                <th scope="col" class="num">{t('nat.value')}</th>
                <th scope="col">{t('nat.file')}</th>
                <th scope="col">{t('nat.sha')}</th>
              </tr>
            </thead>
            <tbody>
              {drill.offices.map((o) => (
                <tr key={o.institutionId} data-office={o.institutionId}>
                  <td>{name(o.institutionId)}</td>
                  <td class="num">
                    {o.value === null ? `${t('nat.notAvailable')}${o.notAvailableReason ? ` (${o.notAvailableReason})` : ''}` : unitValue(i, drill.unit, o.value)}
                  </td>
                  <td class="path">{o.file}</td>
                  <td class="path" title={o.sha256}>
                    {o.sha256.slice(0, 12)}…
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="form-actions">
            <button type="button" class="button" data-autofocus onClick={() => setDrill(null)}>
              {t('nat.close')}
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}

function ReportCard(props: { keys: NationalKeys | null; inbox: NationalInbox | null; dataDir: string; onKeys: (k: NationalKeys) => void }) {
  const i = useI18n();
  const { t } = i;
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [out, setOut] = useState(`${props.dataDir}/national/reports`);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState<NationalOutputs | null>(null);
  const coordinator = props.keys?.coordinator ?? null;

  const createKey = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const errs: Errors = {};
    if (!pass) errs['nat-key-pass'] = t('nat.err.passphrase');
    else if (pass !== again) errs['nat-key-pass2'] = t('nat.err.mismatch');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      props.onKeys(await nationalApi.generateCoordinatorKey(pass));
      setPass('');
      setAgain('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const write = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setWritten(null);
    if (!pass) {
      setErrors({ 'nat-pass': t('nat.err.passphrase') });
      return;
    }
    setErrors({});
    if (!props.inbox) return;
    setBusy(true);
    try {
      // The folder is typed or suggested here: submitting the form is the confirmation.
      setWritten(await nationalApi.writeOutputs(props.inbox.folder, pass, out.trim(), i.lang, true));
      setPass('');
    } catch (err) {
      const field = err instanceof ApiFailure ? err.fields[0] : undefined;
      if (field?.field === 'passphrase') {
        setErrors({ 'nat-pass': field.code === 'invalid' ? t('nat.err.wrongPassphrase') : t('nat.err.passphrase') });
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card" id="nat-report">
      <h2>{t('nat.report')}</h2>
      <ErrorBanner error={error} />
      {props.keys && !coordinator && (
        <form class="form" id="nat-keygen" onSubmit={createKey} noValidate>
          <p>{t('nat.noCoordinatorKey')}</p>
          <Field id="nat-key-pass" label={t('nat.passphrase')} error={errors['nat-key-pass']} required>
            <input id="nat-key-pass" type="password" autocomplete="new-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
          </Field>
          <Field id="nat-key-pass2" label={t('nat.passphraseRepeat')} error={errors['nat-key-pass2']} required>
            <input id="nat-key-pass2" type="password" autocomplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
          </Field>
          <div class="form-actions">
            <button type="submit" class="button button-primary" id="nat-create-key" disabled={busy}>
              {t('nat.createKey')}
            </button>
          </div>
        </form>
      )}
      {coordinator && (
        <>
          <dl class="facts">
            <dt>{t('nat.coordinatorKey')}</dt>
            <dd class="path" id="nat-coordinator-key">
              {coordinator.keyId}
            </dd>
          </dl>
          <form class="form" id="nat-write-form" onSubmit={write} noValidate>
            <Field id="nat-out" label={t('nat.outDir')}>
              <input id="nat-out" class="path" value={out} onInput={(e) => setOut(e.currentTarget.value)} />
            </Field>
            <Field id="nat-pass" label={t('nat.passphrase')} error={errors['nat-pass']} required>
              <input id="nat-pass" type="password" autocomplete="current-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
            </Field>
            <div class="form-actions">
              <button type="submit" class="button button-primary" id="nat-write" disabled={busy || !props.inbox?.aggregate}>
                {busy ? t('nat.writing') : t('nat.write')}
              </button>
            </div>
          </form>
        </>
      )}
      {written && (
        <div class="mon-result ok" id="nat-written" role="status">
          <p>
            {t('nat.written', { n: written.submissions })} <OpenWritten path={written.pdf} id="nat-open" />
          </p>
          <ul class="path small">
            {[written.pdf, written.json, written.signature, written.xlsx, written.csv].map((p) => (
              <li>{p}</li>
            ))}
          </ul>
          <p class="path small">SHA-256 {written.sha256}</p>
        </div>
      )}
    </div>
  );
}

function Benchmark(props: { set: BenchmarkSet; inbox: NationalInbox | null }) {
  const i = useI18n();
  const { t } = i;
  const s = props.set;
  // The indicator's name as the received definitions give it, else its code.
  const figures = props.inbox?.aggregate?.years.flatMap((y) => y.figures) ?? [];
  const label = (code: string) => {
    const f = figures.find((x) => x.code === code);
    return f ? (i.lang === 'nl' ? f.labelNl : f.labelEn) : code;
  };
  return (
    <div class="card" id="nat-benchmark">
      <h2>{t('nat.benchmark', { name: i.lang === 'nl' ? s.nameNl : s.nameEn })}</h2>
      <p class="muted">
        {t('nat.compiled', { date: i.date(s.compiledOn) })} {i.lang === 'nl' ? s.noteNl : s.noteEn}
      </p>
      <table class="simple-table" id="nat-benchmark-table">
        <thead>
          <tr>
            <th scope="col">{t('nat.peer')}</th>
            <th scope="col">{t('nat.indicator')}</th>
            <th scope="col">{t('nat.period')}</th>
            <th scope="col" class="num">{t('nat.value')}</th>
            <th scope="col">{t('nat.source')}</th>
          </tr>
        </thead>
        <tbody>
          {s.figures.map((f) => (
            <tr title={f.quote}>
              <td>{f.peer}</td>
              <td>{label(f.indicator)}</td>
              <td>{f.period}</td>
              <td class="num">{peerValue(i, f)}</td>
              <td class="small">
                {f.sourceTitle} ({f.sourceDate}) <span class="path">{f.url}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
