// Signing the year: the signing key (create, show, export, replace), "Sign and save" with
// the passphrase and what it wrote, and the list of signed submissions.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, monitorApi, type MonitorOverview, type SignedExport, type SigningKeyInfo, type SigningKeyRecord, type SubmissionRecord } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { Field } from '../components/Field';
import { OpenWritten } from '../components/OpenWritten';
import { useI18n } from '../i18n';
import { fieldErrors } from './MonitorForms';
import { isAbsoluteFolder, supersededIds } from '../lib/monitorLogic';

type Errors = Record<string, string>;

export function SigningPanel(props: { year: number; overview: MonitorOverview; hasInstitution: boolean; dataDir: string; onSigned: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [key, setKey] = useState<SigningKeyInfo | null | undefined>(undefined);
  const [keys, setKeys] = useState<SigningKeyRecord[]>([]);
  const [replacing, setReplacing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState(false);

  const loadKeys = () => {
    monitorApi.signingKey().then(setKey).catch(setError);
    monitorApi.listSigningKeys().then(setKeys).catch(setError);
  };
  useEffect(loadKeys, []);

  const retired = keys.filter((k) => k.retiredAt !== null);
  return (
    <div class="mon-sign-grid">
      <div class="card" id="mon-key">
        <h2>{t('mon.signing')}</h2>
        <ErrorBanner error={error} />
        {created && (
          <div class="banner banner-ok" role="status" id="key-created">
            {t('mon.keyCreated')}
          </div>
        )}
        {key === undefined ? (
          <p class="muted">{t('common.loading')}</p>
        ) : key === null || replacing ? (
          <KeyForm
            replacing={key !== null}
            onCancel={key !== null ? () => setReplacing(false) : undefined}
            onCreated={() => {
              setReplacing(false);
              setCreated(true);
              loadKeys();
            }}
          />
        ) : (
          <>
            <dl class="facts">
              <dt>{t('mon.keyId')}</dt>
              <dd class="path" id="key-id">
                {key.keyId}
              </dd>
              <dt>{t('mon.fingerprint')}</dt>
              <dd class="path" id="key-fingerprint">
                {key.fingerprint}
              </dd>
            </dl>
            <details class="mon-pubkey">
              <summary>{t('mon.publicKey')}</summary>
              <pre class="path prewrap">{key.publicKey}</pre>
            </details>
            <ExportKey dataDir={props.dataDir} />
            <button type="button" class="button" id="replace-key" onClick={() => { setCreated(false); setReplacing(true); }}>
              {t('mon.replaceKey')}
            </button>
          </>
        )}
        {retired.length > 0 && (
          <>
            <h3>{t('mon.keys')}</h3>
            <ul class="small mon-retired">
              {retired.map((k) => (
                <li>
                  <span class="path">{k.keyId}</span> · {t('mon.retired', { date: i.date(k.retiredAt) })}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <SignForm year={props.year} overview={props.overview} hasKey={!!key} hasInstitution={props.hasInstitution} dataDir={props.dataDir} onSigned={props.onSigned} />
    </div>
  );
}

function KeyForm(props: { replacing: boolean; onCancel?: () => void; onCreated: () => void }) {
  const { t } = useI18n();
  const i = useI18n();
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const errs: Errors = {};
    if (!pass) errs['passphrase'] = t('mon.passphraseRequired');
    else if (pass !== again) errs['repeat'] = t('mon.passphraseMismatch');
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await monitorApi.generateSigningKey(pass);
      setPass('');
      setAgain('');
      props.onCreated();
    } catch (err) {
      const fe = fieldErrors(i, err);
      if (fe) setErrors({ passphrase: fe['passphrase'] ? t('mon.passphraseRequired') : Object.values(fe)[0] ?? '' });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form" id="mon-keygen" onSubmit={submit} noValidate>
      <p>{props.replacing ? t('mon.replaceHint') : t('mon.noKey')}</p>
      <p class="field-hint" id="key-pass-note">
        {t('mon.passphraseHint')}
      </p>
      <ErrorBanner error={error} />
      <Field id="key-pass" label={t('mon.passphrase')} error={errors['passphrase']} required>
        <input id="key-pass" type="password" autocomplete="new-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
      </Field>
      <Field id="key-pass2" label={t('mon.passphraseRepeat')} error={errors['repeat']} required>
        <input id="key-pass2" type="password" autocomplete="new-password" value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
      </Field>
      <div class="form-actions">
        <button type="submit" class="button button-primary" id="create-key" disabled={busy}>
          {t('mon.createKey')}
        </button>
        {props.onCancel && (
          <button type="button" class="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function ExportKey(props: { dataDir: string }) {
  const { t } = useI18n();
  const [dir, setDir] = useState(props.dataDir);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [written, setWritten] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setWritten(null);
    setError(null);
    // An empty path would write into the app's working folder: use the data folder instead.
    const target = dir.trim() === '' ? props.dataDir : dir.trim();
    if (!isAbsoluteFolder(target)) {
      setProblem(t('mon.exportDirAbsolute', { example: props.dataDir }));
      return;
    }
    setProblem(undefined);
    if (target !== dir) setDir(target);
    try {
      // The folder is typed here: submitting the form is the user's confirmation.
      setWritten(await monitorApi.exportPublicKey(target, true));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="form mon-export" id="mon-export" onSubmit={submit} noValidate>
      <Field id="export-dir" label={t('mon.exportDir')} hint={t('mon.exportDirHint')} error={problem}>
        <input id="export-dir" class="path" value={dir} onInput={(e) => setDir(e.currentTarget.value)} />
      </Field>
      <div class="form-actions">
        <button type="submit" class="button" id="export-key">
          {t('mon.exportKey')}
        </button>
      </div>
      <ErrorBanner error={error} />
      {written && (
        <p class="ok-text path" role="status" id="exported-key">
          {t('mon.exported', { path: written })}
        </p>
      )}
    </form>
  );
}

function SignForm(props: { year: number; overview: MonitorOverview; hasKey: boolean; hasInstitution: boolean; dataDir: string; onSigned: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [pass, setPass] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SignedExport | null>(null);
  useEffect(() => {
    setResult(null);
    setErrors({});
    setError(null);
  }, [props.year]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    if (!pass) {
      setErrors({ passphrase: t('mon.passphraseRequired') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await monitorApi.signSubmission(props.year, pass);
      setPass('');
      setResult(r);
      props.onSigned();
    } catch (err) {
      const fe = fieldErrors(i, err);
      if (fe && err instanceof ApiFailure) {
        const f = err.fields[0];
        if (f?.field === 'passphrase') setErrors({ passphrase: f.code === 'invalid' ? t('mon.passphraseWrong') : t('mon.passphraseRequired') });
        else if (f?.field === 'institutionId') setErrors({ form: t('mon.noInstitution') });
        else if (f?.field === 'year') setErrors({ form: t('mon.emptyYear', { year: props.year }) });
        else setErrors({ form: Object.values(fe)[0] ?? err.message });
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };
  const signed = props.overview.signed;
  const blocked = !props.hasKey || !props.hasInstitution || props.overview.empty;
  return (
    <div class="card" id="mon-sign">
      <h2>{t('mon.sign', { year: props.year })}</h2>
      {props.overview.quality.length > 0 && (
        <p class="warn-line">
          <a href="#mon-checks">{t('mon.checksCount', { count: props.overview.quality.length })}</a>
        </p>
      )}
      {signed && (
        <p class="muted" id="mon-already-signed">
          {t('mon.alreadySigned', { version: signed.version, year: signed.year, date: i.date(signed.signedAt), next: signed.version + 1 })}
        </p>
      )}
      {!props.hasInstitution && (
        <p class="banner banner-warn" id="sign-no-institution">
          <a href="#mon-settings">{t('mon.noInstitution')}</a>
        </p>
      )}
      {blocked && props.hasInstitution && <p class="muted">{t('mon.signBlocked')}</p>}
      <form class="form" id="mon-sign-form" onSubmit={submit} noValidate>
        <p class="field-hint">{t('mon.signHint', { dir: `${props.dataDir}/submissions` })}</p>
        <Field id="sign-pass" label={t('mon.passphrase')} error={errors['passphrase']} required>
          <input id="sign-pass" type="password" autocomplete="current-password" value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
        </Field>
        {errors['form'] && (
          <p class="field-error" role="alert" id="sign-error">
            {errors['form']}
          </p>
        )}
        <ErrorBanner error={error} />
        <div class="form-actions">
          <button type="submit" class="button button-primary" id="sign" disabled={busy || !props.hasKey}>
            {busy ? t('mon.signing.busy') : t('mon.sign', { year: props.year })}
          </button>
        </div>
      </form>
      {result && (
        <div class={`mon-result ${result.verified ? 'ok' : 'bad'}`} id="sign-result" role="status">
          <h3>{result.verified ? `✓ ${t('mon.signed')}` : t('mon.notVerified')}</h3>
          <dl class="facts">
            <dt>{t('mon.jsonPath')}</dt>
            <dd class="path" id="signed-json">{result.jsonPath}</dd>
            <dt>{t('mon.signaturePath')}</dt>
            <dd class="path" id="signed-sig">{result.signaturePath}</dd>
            <dt>{t('mon.pdfPath')}</dt>
            <dd class="path">
              {result.pdfPath} <OpenWritten path={result.pdfPath} id="signed-open" />
            </dd>
            <dt>{t('mon.schemaPath')}</dt>
            <dd class="path" id="signed-schema">{result.schemaPath}</dd>
            <dt>{t('mon.sha256')}</dt>
            <dd class="path" id="signed-sha">{result.sha256}</dd>
            <dt>{t('mon.fingerprint')}</dt>
            <dd class="path">{result.keyFingerprint}</dd>
            <dt>{t('mon.keyId')}</dt>
            <dd class="path">{result.keyId}</dd>
            <dt>{t('mon.verification')}</dt>
            <dd id="signed-verification">{result.verification}</dd>
          </dl>
        </div>
      )}
    </div>
  );
}

export function Submissions({ submissions }: { submissions: SubmissionRecord[] }) {
  const i = useI18n();
  const { t } = i;
  const superseded = supersededIds(submissions);
  const sorted = [...submissions].sort((a, b) => b.year - a.year || b.version - a.version);
  return (
    <div class="card" id="mon-submissions">
      <h2>{t('mon.submissions')}</h2>
      {sorted.length === 0 ? (
        <p class="muted">{t('mon.submissionsNone')}</p>
      ) : (
        <table class="simple-table">
          <thead>
            <tr>
              <th>{t('mon.year')}</th>
              <th class="num">{t('mon.sVersion')}</th>
              <th>{t('mon.signedAt')}</th>
              <th>{t('mon.signer')}</th>
              <th>{t('mon.sha256')}</th>
              <th>{t('mon.keyId')}</th>
              <th>{t('mon.status')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((s) => (
              <tr class={superseded.has(s.id) ? 'superseded' : ''}>
                <td>{s.year}</td>
                <td class="num">{s.version}</td>
                <td>{i.dateTime(s.signedAt)}</td>
                <td>{s.signer}</td>
                <td class="path" title={s.sha256}>
                  {s.sha256.slice(0, 12)}…
                </td>
                <td class="path">{s.keyId}</td>
                <td>{superseded.has(s.id) ? t('mon.superseded') : t('mon.current')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
