// The spreadsheet import in steps: choose a file and the kind of record → check how its
// columns were matched to fields and correct them → preview (counts, every problem by line
// and column, duplicates to merge or skip) → import with progress and Cancel → the result,
// with "Undo this import".
import { useEffect, useState } from 'preact/hooks';
import {
  ApiFailure,
  importApi,
  type DuplicateChoice,
  type ImportBatch,
  type ImportDuplicate,
  type ImportFile,
  type ImportOutcome,
  type ImportPreview,
  type ImportProgress,
  type ImportSource,
  type KindSpec,
  type RecordKind,
  type UndoOutcome,
} from '../api';
import { sizeText } from '../components/Backups';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n, type I18n, type MessageKey } from '../i18n';
import { choicesFor, issueColumn, issueText, proposedChoice, unmappedRequired } from '../lib/importing';
import { fieldName, kindLabel, showValue } from '../lib/records';

type Step = 'file' | 'mapping' | 'preview' | 'applying' | 'done';
const STEPS: { step: Step; key: MessageKey }[] = [
  { step: 'file', key: 'import.step.file' },
  { step: 'mapping', key: 'import.step.mapping' },
  { step: 'preview', key: 'import.step.preview' },
  { step: 'done', key: 'import.step.done' },
];

/** A refused file carries its reason in the message; other failures go to the banner. */
function FailureBanner({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof ApiFailure && error.kind === 'validation') {
    return (
      <div class="banner banner-error" role="alert" id="import-error">
        <span>{t('import.notRead', { message: error.message })}</span>
      </div>
    );
  }
  return <ErrorBanner error={error} />;
}

export function ImportView(props: { specs: KindSpec[]; kind?: RecordKind; onShowRecords: (kind: RecordKind) => void }) {
  const i = useI18n();
  const { t } = i;
  const [step, setStep] = useState<Step>('file');
  const [file, setFile] = useState<ImportFile | null>(null);
  const [kind, setKind] = useState<RecordKind>(props.kind ?? props.specs[0]?.kind ?? 'cost');
  const [sheet, setSheet] = useState<string | null>(null);
  const [source, setSource] = useState<ImportSource | null>(null);
  const [mapping, setMapping] = useState<(string | null)[]>([]);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [chosen, setChosen] = useState<Record<number, DuplicateChoice>>({});
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [undone, setUndone] = useState<UndoOutcome | null>(null);
  const [last, setLast] = useState<ImportBatch | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Every kind an import reads, disclosures and deals included, once the backend has
  // answered; the record kinds until then.
  const [importSpecs, setImportSpecs] = useState<KindSpec[] | null>(null);
  const specs = importSpecs ?? props.specs;
  const spec = specs.find((s) => s.kind === kind) ?? specs[0];

  const loadLast = () => importApi.lastImport().then(setLast).catch(setError);
  useEffect(() => {
    void loadLast();
    importApi.kinds().then(setImportSpecs).catch(setError);
  }, []);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const chooseFile = (list: FileList | null) => {
    const chosenFile = list?.[0];
    if (!chosenFile) return;
    void run(async () => {
      setFile(null);
      const loaded = await importApi.loadFile(chosenFile);
      setFile(loaded);
      setSheet(loaded.sheets[0] ?? null);
    });
  };

  const toMapping = () =>
    run(async () => {
      const s = await importApi.inspect(kind, sheet);
      setSource(s);
      setMapping(s.columns.map((c) => c.target));
      setStep('mapping');
    });

  const request = () => ({ kind, sheet, mapping });

  const toPreview = () =>
    run(async () => {
      const p = await importApi.preview(request());
      setPreview(p);
      setChosen(Object.fromEntries(p.duplicates.map((d) => [d.line, proposedChoice(d)])));
      setStep('preview');
    });

  const apply = async () => {
    if (!preview) return;
    setError(null);
    setProgress(null);
    setStep('applying');
    try {
      const done = await importApi.apply(request(), choicesFor(preview.duplicates, chosen), setProgress);
      setOutcome(done);
      setUndone(null);
      setStep('done');
      await loadLast();
    } catch (e) {
      setError(e);
      setStep('preview');
    }
  };

  const undo = () =>
    run(async () => {
      const result = await importApi.undoLastImport();
      // The last import is read again first, so that the undone one is no longer offered
      // when the result shows.
      await loadLast();
      setUndone(result);
    });

  const restart = () => {
    setStep('file');
    setFile(null);
    setSource(null);
    setPreview(null);
    setOutcome(null);
    setUndone(null);
    setError(null);
  };

  const stepIndex = STEPS.findIndex((s) => s.step === (step === 'applying' ? 'preview' : step));
  const toImport = preview ? preview.create + preview.duplicates.filter((d) => chosen[d.line] === 'merge').length : 0;

  return (
    <section class="view import-view" aria-labelledby="import-title">
      <header class="view-header">
        <h1 id="import-title">{t('import.title')}</h1>
      </header>
      <ol class="steps" aria-label={t('import.title')}>
        {STEPS.map((s, n) => (
          <li class={n === stepIndex ? 'active' : n < stepIndex ? 'passed' : ''} aria-current={n === stepIndex ? 'step' : undefined}>
            {n + 1}. {t(s.key)}
          </li>
        ))}
      </ol>
      <FailureBanner error={error} />

      {step === 'file' && (
        <div class="card narrow form">
          {undone && (
            <div class="banner banner-ok" role="status" id="import-undone">
              {t('import.undone', { deleted: undone.deleted, restored: undone.restored })}
            </div>
          )}
          {last && <LastImport i={i} last={last} busy={busy} onUndo={undo} />}
          <div class="field">
            <label for="import-file">{t('import.file')}</label>
            <label class="button file-button">
              {busy ? t('import.reading') : t('import.chooseFile')}
              <input
                type="file"
                id="import-file"
                accept=".csv,.txt,.tsv,.xlsx,.xlsm,.xls,.ods"
                disabled={busy}
                onChange={(e) => chooseFile((e.target as HTMLInputElement).files)}
              />
            </label>
            {file && (
              <p class="muted" id="import-file-info">
                {t('import.fileInfo', { name: file.fileName, size: sizeText(i, file.size) })}
              </p>
            )}
          </div>
          <div class="field">
            <label for="import-kind">{t('import.kind')}</label>
            <select id="import-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as RecordKind)}>
              {specs.map((s) => (
                <option value={s.kind}>{kindLabel(i, s.kind)}</option>
              ))}
            </select>
          </div>
          {file && file.sheets.length > 1 && (
            <div class="field">
              <label for="import-sheet">{t('import.sheet')}</label>
              <select id="import-sheet" value={sheet ?? ''} onChange={(e) => setSheet((e.target as HTMLSelectElement).value)}>
                {file.sheets.map((s) => (
                  <option value={s}>{s}</option>
                ))}
              </select>
            </div>
          )}
          <div class="form-actions">
            <button type="button" class="button button-primary" id="import-next" disabled={!file || busy} onClick={() => void toMapping()}>
              {t('import.next')}
            </button>
          </div>
        </div>
      )}

      {step === 'mapping' && source && spec && (
        <div class="card">
          <p class="muted">{t('import.mappingHint')}</p>
          <table class="simple-table" id="import-mapping">
            <thead>
              <tr>
                <th scope="col">{t('import.column')}</th>
                <th scope="col">{t('import.samples')}</th>
                <th scope="col">{t('import.field')}</th>
              </tr>
            </thead>
            <tbody>
              {source.columns.map((c, n) => (
                <tr key={n}>
                  <td>
                    <label for={`map-${n}`}>{c.header || `#${n + 1}`}</label>
                  </td>
                  <td class="muted small">{c.samples.join(' · ')}</td>
                  <td>
                    <select
                      id={`map-${n}`}
                      value={mapping[n] ?? ''}
                      onChange={(e) => {
                        const v = (e.target as HTMLSelectElement).value;
                        setMapping((m) => m.map((x, k) => (k === n ? (v === '' ? null : v) : x)));
                      }}
                    >
                      <option value="">{t('import.ignore')}</option>
                      <option value="id">{t('import.idColumn')}</option>
                      {spec.fields.map((f) => (
                        <option value={f.key}>
                          {fieldName(i, f.key)}
                          {f.required && f.type !== 'bool' ? ` ${t('import.requiredMark')}` : ''}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {unmappedRequired(spec, mapping).length > 0 && (
            <p class="field-error" id="import-unmapped">
              {t('import.unmappedRequired', { fields: unmappedRequired(spec, mapping).map((k) => fieldName(i, k)).join(', ') })}
            </p>
          )}
          <div class="form-actions import-actions">
            <button type="button" class="button" onClick={() => setStep('file')}>
              {t('import.back')}
            </button>
            <button type="button" class="button button-primary" id="import-check" disabled={busy} onClick={() => void toPreview()}>
              {busy ? t('import.checking') : t('import.check')}
            </button>
          </div>
        </div>
      )}

      {(step === 'preview' || step === 'applying') && preview && (
        <>
          <div class="card">
            <ul class="import-summary" id="import-summary">
              <li>{t('import.rowsRead', { rows: preview.rows })}</li>
              <li class="ok">{t('import.willCreate', { n: preview.create })}</li>
              <li>{t('import.duplicateCount', { n: preview.duplicates.length })}</li>
              <li class={preview.invalidRows > 0 ? 'bad' : ''}>{t('import.invalidCount', { n: preview.invalidRows })}</li>
            </ul>
            {preview.blocked && (
              <div class="banner banner-error" role="alert">
                {t('import.blocked')}
              </div>
            )}
          </div>
          {preview.problems.length > 0 && (
            <div class="card">
              <h2>{t('import.problems')}</h2>
              <div class="import-scroll">
                <table class="simple-table" id="import-problems">
                  <thead>
                    <tr>
                      <th scope="col" class="num">{t('import.line')}</th>
                      <th scope="col">{t('import.column')}</th>
                      <th scope="col">{t('import.what')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.problems.map((p) => (
                      <tr>
                        <td class="num">{p.line > 0 ? p.line : ''}</td>
                        <td>{issueColumn(i, p)}</td>
                        <td>{issueText(i, p)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {preview.problemCount > preview.problems.length && (
                <p class="muted">{t('import.moreProblems', { n: preview.problemCount - preview.problems.length })}</p>
              )}
            </div>
          )}
          {preview.duplicates.length > 0 && (
            <div class="card">
              <h2>{t('import.duplicates')}</h2>
              <p class="muted">{t('import.duplicatesHint')}</p>
              <div class="toolbar">
                <button
                  type="button"
                  class="button"
                  id="dup-merge-all"
                  onClick={() => setChosen(Object.fromEntries(preview.duplicates.map((d) => [d.line, 'merge'])))}
                >
                  {t('import.mergeAll')}
                </button>
                <button
                  type="button"
                  class="button"
                  id="dup-skip-all"
                  onClick={() => setChosen(Object.fromEntries(preview.duplicates.map((d) => [d.line, 'skip'])))}
                >
                  {t('import.skipAll')}
                </button>
              </div>
              <div class="import-scroll">
                <table class="simple-table" id="import-duplicates">
                  <thead>
                    <tr>
                      <th scope="col" class="num">{t('import.line')}</th>
                      <th scope="col">{t('import.existing')}</th>
                      <th scope="col">{t('import.matchedBy')}</th>
                      <th scope="col">{t('import.choice')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.duplicates.map((d) => (
                      <tr key={d.line}>
                        <td class="num">{d.line}</td>
                        <td>{d.title}</td>
                        <td>
                          {t(`import.matched.${d.matchedBy}` as MessageKey)}: {matchedText(i, spec, d)}
                        </td>
                        <td>
                          <select
                            id={`dup-${d.line}`}
                            aria-label={`${t('import.choice')} ${t('import.line')} ${d.line}`}
                            value={chosen[d.line] ?? proposedChoice(d)}
                            onChange={(e) => {
                              const v = (e.target as HTMLSelectElement).value as DuplicateChoice;
                              setChosen((c) => ({ ...c, [d.line]: v }));
                            }}
                          >
                            <option value="merge">{t('import.merge')}</option>
                            <option value="skip">{t('import.skip')}</option>
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
          {step === 'preview' ? (
            <div class="form-actions import-actions">
              <button type="button" class="button" onClick={() => setStep('mapping')}>
                {t('import.back')}
              </button>
              <button
                type="button"
                class="button button-primary"
                id="import-apply"
                disabled={preview.blocked || toImport === 0}
                onClick={() => void apply()}
              >
                {t('import.apply')} ({toImport})
              </button>
              {!preview.blocked && toImport === 0 && <span class="muted">{t('import.nothingToDo')}</span>}
            </div>
          ) : (
            <div class="card import-running" role="status" aria-live="polite">
              <p>{t('import.applying')}</p>
              <progress id="import-progress" max={progress?.total || 1} value={progress?.done ?? 0} />
              <p class="muted">{t('import.progress', { done: progress?.done ?? 0, total: progress?.total ?? toImport })}</p>
              <button type="button" class="button button-danger" id="import-cancel" onClick={() => void importApi.cancel().catch(setError)}>
                {t('import.cancel')}
              </button>
            </div>
          )}
        </>
      )}

      {step === 'done' && outcome && (
        <div class="card narrow form">
          {outcome.cancelled ? (
            <div class="banner banner-ok" role="status" id="import-result">
              {t('import.cancelled')}
            </div>
          ) : (
            <div class="banner banner-ok" role="status" id="import-result">
              {t('import.done', {
                file: file?.fileName ?? '',
                created: outcome.created,
                updated: outcome.updated,
                skipped: outcome.skipped,
                invalid: outcome.invalid,
              })}
            </div>
          )}
          {undone && (
            <div class="banner banner-ok" role="status" id="import-undone">
              {t('import.undone', { deleted: undone.deleted, restored: undone.restored })}
            </div>
          )}
          <div class="form-actions">
            {!outcome.cancelled && outcome.batchId && !undone && last?.id === outcome.batchId && (
              <button type="button" class="button button-danger" id="import-undo" disabled={busy} onClick={() => void undo()}>
                {busy ? t('import.undoing') : t('import.undo')}
              </button>
            )}
            <button type="button" class="button" id="import-show" onClick={() => props.onShowRecords(kind)}>
              {t('import.showRecords')}
            </button>
            <button type="button" class="button" id="import-another" onClick={restart}>
              {t('import.another')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** The values a duplicate was found by, shown as the table shows them. */
function matchedText(i: I18n, spec: KindSpec | undefined, d: ImportDuplicate): string {
  // In the form's order of fields.
  const shown = (spec?.fields ?? []).flatMap((f) => {
    const v = d.matched[f.key];
    return v === undefined ? [] : [showValue(i, f, v)];
  });
  return shown.length > 0 ? shown.join(', ') : d.value;
}

/** The newest import that can still be undone, on the first step. */
function LastImport(props: { i: I18n; last: ImportBatch; busy: boolean; onUndo: () => void }) {
  const { i, last } = props;
  return (
    <div class="banner" id="last-import">
      <span>
        {i.t('import.lastImport', {
          file: last.fileName,
          kind: kindLabel(i, last.kind),
          date: i.dateTime(last.importedAt),
          actor: last.actor,
          created: last.created,
          updated: last.updated,
        })}
      </span>
      <button type="button" class="button button-danger" id="undo-last-import" disabled={props.busy} onClick={props.onUndo}>
        {props.busy ? i.t('import.undoing') : i.t('import.undo')}
      </button>
    </div>
  );
}
