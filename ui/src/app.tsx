// The app shell: navigation, language, keyboard shortcuts and the current view.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, DAMAGED_EVENT, type AppStatus, type DealForm, type Language, type Pipeline, type RecordKind, type Settings as SettingsT, type Values } from './api';
import { ErrorBanner } from './components/ErrorBanner';
import { Backups } from './components/Backups';
import { overlayOpen } from './components/Modal';
import { SearchPalette } from './components/SearchPalette';
import { I18nContext, makeI18n, useI18n, type I18n } from './i18n';
import { Boards } from './views/Boards';
import { DealPage } from './views/DealPage';
import { DisclosureDetail } from './views/DisclosureDetail';
import { DisclosureForm } from './views/DisclosureForm';
import { DisclosureList } from './views/DisclosureList';
import { DisclosureBoard } from './views/DisclosureBoard';
import { Settings } from './views/Settings';
import { Week } from './views/Week';
import { Learn } from './views/Learn';
import { RecordPage } from './views/RecordPage';
import { SpinOffTerms } from './views/SpinOffTerms';
import { RecordTable } from './views/RecordTable';
import { kindLabel, useKinds } from './lib/records';
import { Welcome } from './views/Welcome';
import { Monitor } from './views/Monitor';
import { National } from './views/National';
import { Conflicts, SYNCED_EVENT, syncLine, useBackgroundSync } from './views/Sync';
import { ImportView } from './views/Import';

type View =
  | { name: 'week' }
  | { name: 'welcome' }
  | { name: 'list' }
  | { name: 'disclosureBoard' }
  | { name: 'detail'; id: string }
  | { name: 'new' }
  | { name: 'edit'; id: string }
  | { name: 'settings' }
  | { name: 'import'; kind?: RecordKind }
  | { name: 'monitor' }
  | { name: 'national' }
  | { name: 'conflicts' }
  | { name: 'learn' }
  | { name: 'board'; pipeline: Pipeline }
  | { name: 'deal'; id: string | null; pipeline: Pipeline }
  | { name: 'records'; kind: RecordKind }
  | { name: 'record'; kind: RecordKind; id: string | null; prefill?: Values; focusField?: string };

type Section = 'week' | 'disclosures' | 'boards' | 'settings' | 'learn' | 'monitor' | 'national' | 'conflicts' | `records:${RecordKind}`;

function sectionOf(v: View): Section {
  if (v.name === 'week' || v.name === 'welcome') return 'week';
  if (v.name === 'settings') return 'settings';
  if (v.name === 'import') return v.kind ? `records:${v.kind}` : 'settings';
  if (v.name === 'monitor') return 'monitor';
  if (v.name === 'national') return 'national';
  if (v.name === 'conflicts') return 'conflicts';
  if (v.name === 'learn') return 'learn';
  if (v.name === 'board' || v.name === 'deal') return 'boards';
  if (v.name === 'records' || v.name === 'record') return `records:${v.kind}`;
  return 'disclosures';
}

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [view, setView] = useState<View>({ name: 'week' });
  // A notice is phrased when shown, so it follows a language switch.
  const [notice, setNotice] = useState<((i: I18n) => string) | null>(null);
  const [search, setSearch] = useState('');
  const [palette, setPalette] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const kinds = useKinds();
  // Syncs with the office's shared folder at start and every few minutes, beside the work.
  const sync = useBackgroundSync(!!status && !status.openError);
  const lang: Language = status?.settings.language ?? 'en';
  const i18n = useMemo(() => makeI18n(lang), [lang]);

  /** Opens a record; with `field`, its form at that field (a warning that says what to fix). */
  const openRecord = (kind: RecordKind, id: string, field?: string) => {
    setNotice(null);
    // The first record of an empty office: the start page becomes My week.
    if (status?.empty) void refresh();
    if (kind === 'disclosure') setView(field ? { name: 'edit', id } : { name: 'detail', id });
    else if (kind === 'deal') setView({ name: 'deal', id, pipeline: 'licensing' });
    else setView({ name: 'record', kind, id, ...(field ? { focusField: field } : {}) });
  };

  const refresh = () =>
    api
      .appStatus()
      .then((s) => {
        setStatus(s);
        return s;
      })
      .catch((e: unknown) => {
        setStartError(e);
        return null;
      });

  useEffect(() => {
    refresh().then((s) => {
      if (s?.empty) setView({ name: 'welcome' });
      // A failure arrives as the damaged event below.
      if (s && !s.openError) api.startupCheck().catch(() => undefined);
    });
    // Damage found by the start-up check after the first screen: into safe mode.
    const onDamaged = () => void refresh();
    window.addEventListener(DAMAGED_EVENT, onDamaged);
    return () => window.removeEventListener(DAMAGED_EVENT, onDamaged);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      // Nothing behind an open overlay acts on a key.
      if (overlayOpen()) return;
      if (mod && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        setView({ name: 'list' });
        requestAnimationFrame(() => searchRef.current?.focus());
      } else if (mod && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setPalette(true);
      } else if (mod && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        setView({ name: 'new' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const setLanguage = (language: Language) => {
    if (!status) return;
    api
      .saveSettings({ ...status.settings, language })
      .then((settings) => setStatus({ ...status, settings }))
      .catch(setStartError);
  };

  if (!status) {
    return (
      <I18nContext.Provider value={i18n}>
        <main class="boot">{startError ? <ErrorBanner error={startError} /> : <p>{i18n.t('common.loading')}</p>}</main>
      </I18nContext.Provider>
    );
  }

  return (
    <I18nContext.Provider value={i18n}>
      <div class="shell">
        <a class="skip-link" href="#content" onClick={(e) => { e.preventDefault(); document.getElementById('content')?.focus(); }}>
          {i18n.t('nav.skip')}
        </a>
        <Sidebar
          current={sectionOf(view)}
          onNavigate={(section) => {
            setNotice(null);
            setView(
              section.startsWith('records:')
                ? { name: 'records', kind: section.slice('records:'.length) as RecordKind }
                : section === 'learn'
                ? { name: 'learn' }
                : section === 'monitor'
                ? { name: 'monitor' }
                : section === 'national'
                ? { name: 'national' }
                : section === 'conflicts'
                ? { name: 'conflicts' }
                : section === 'settings'
                ? { name: 'settings' }
                : section === 'boards'
                  ? { name: 'board', pipeline: 'licensing' }
                  : section === 'week'
                    ? status.empty
                      ? { name: 'welcome' }
                      : { name: 'week' }
                    : { name: 'list' },
            );
          }}
          lang={lang}
          onLanguage={setLanguage}
          onSearch={() => setPalette(true)}
          recordKinds={(kinds ?? []).filter((k) => k.parent === null).map((k) => k.kind)}
          conflicts={sync?.status.openConflicts ?? 0}
          syncLine={syncLine(i18n, sync)}
        />
        {palette && (
          <SearchPalette
            onClose={() => setPalette(false)}
            onOpen={(hit) => {
              setPalette(false);
              setNotice(null);
              if (hit.kind === 'disclosure') setView({ name: 'detail', id: hit.id });
              else if (hit.kind === 'deal' && hit.pipeline) setView({ name: 'deal', id: hit.id, pipeline: hit.pipeline });
              else setView({ name: 'record', kind: hit.kind, id: hit.id });
            }}
          />
        )}
        <main class="content" id="content" tabIndex={-1}>
          {status.openError ? (
            <OpenFailed status={status} onRestored={() => void refresh()} />
          ) : (
            <>
              {notice && (
                <div class="banner banner-ok" role="status" id="notice">
                  <span>{notice(i18n)}</span>
                  <button type="button" class="button button-quiet" onClick={() => setNotice(null)} aria-label="✕">
                    ✕
                  </button>
                </div>
              )}
              {view.name === 'welcome' && (
                <Welcome
                  status={status}
                  onSettings={(settings) => setStatus({ ...status, settings })}
                  onDemoLoaded={(n) => {
                    setNotice(() => (i: I18n) => i.t('welcome.demoLoaded', { ...n }));
                    refresh();
                    setView({ name: 'week' });
                  }}
                  onStartEmpty={() => setView({ name: 'new' })}
                  onImportedExport={(done) => {
                    setNotice(() => (i: I18n) => i.t('data.imported', {
                        records: i.number(done.records),
                        history: i.number(done.history),
                        attachments: i.number(done.attachments),
                        folder: done.folder,
                      }));
                    refresh();
                    setView({ name: 'week' });
                  }}
                  onJoined={(r) => {
                    setNotice(() => (i: I18n) => i.t('welcome.joined', { applied: i.number(r.applied) }));
                    refresh();
                    window.dispatchEvent(new CustomEvent(SYNCED_EVENT, { detail: r }));
                    setView({ name: 'week' });
                  }}
                />
              )}
              {view.name === 'week' && <Week onOpenDeal={(id, pipeline) => setView({ name: 'deal', id, pipeline })} onOpenRecord={openRecord} />}
              {view.name === 'records' && kinds && kinds.some((k) => k.kind === view.kind) && (
                <RecordTable
                  key={view.kind}
                  spec={kinds.find((k) => k.kind === view.kind) ?? kinds[0]!}
                  onOpen={openRecord}
                  onNew={(kind) => setView({ name: 'record', kind, id: null })}
                  onImport={(kind) => setView({ name: 'import', kind })}
                />
              )}
              {view.name === 'import' && kinds && (
                <ImportView
                  key={view.kind ?? 'any'}
                  specs={kinds}
                  kind={view.kind}
                  onShowRecords={(kind) =>
                    setView(
                      kind === 'disclosure'
                        ? { name: 'list' }
                        : kind === 'deal'
                          ? { name: 'board', pipeline: 'licensing' }
                          : { name: 'records', kind },
                    )
                  }
                />
              )}
              {view.name === 'record' && kinds && (
                <RecordPage
                  key={`${view.kind}:${view.id ?? 'new'}`}
                  specs={kinds}
                  kind={view.kind}
                  id={view.id}
                  prefill={view.prefill}
                  focusField={view.focusField}
                  onOpen={openRecord}
                  onNew={(kind, prefill) => setView({ name: 'record', kind, id: null, prefill })}
                  onBack={(kind) => setView({ name: 'records', kind })}
                  extra={(r, reload) => (r.kind === 'spinOff' ? <SpinOffTerms spinOffId={r.id} recordDealForm={r.values['dealForm'] as DealForm | undefined} onSaved={reload} /> : null)}
                />
              )}
              {view.name === 'list' && (
                <DisclosureList
                  search={search}
                  onSearch={setSearch}
                  searchRef={searchRef}
                  onOpen={(id) => setView({ name: 'detail', id })}
                  onNew={() => setView({ name: 'new' })}
                  onBoard={() => setView({ name: 'disclosureBoard' })}
                />
              )}
              {view.name === 'disclosureBoard' && (
                <DisclosureBoard
                  onOpen={(id) => setView({ name: 'detail', id })}
                  onNew={() => setView({ name: 'new' })}
                  onList={() => setView({ name: 'list' })}
                />
              )}
              {view.name === 'detail' && (
                <DisclosureDetail
                  id={view.id}
                  onEdit={() => setView({ name: 'edit', id: view.id })}
                  onBack={() => setView({ name: 'list' })}
                />
              )}
              {(view.name === 'new' || view.name === 'edit') && (
                <DisclosureForm
                  id={view.name === 'edit' ? view.id : null}
                  onSaved={(id) => {
                    setNotice(null);
                    if (status.empty) refresh();
                    setView({ name: 'detail', id });
                  }}
                  onCancel={() => setView(view.name === 'edit' ? { name: 'detail', id: view.id } : { name: 'list' })}
                />
              )}
              {view.name === 'board' && (
                <Boards
                  pipeline={view.pipeline}
                  onPipeline={(pipeline) => setView({ name: 'board', pipeline })}
                  onOpen={(id) => setView({ name: 'deal', id, pipeline: view.pipeline })}
                  onNew={(pipeline) => setView({ name: 'deal', id: null, pipeline })}
                />
              )}
              {view.name === 'deal' && (
                <DealPage
                  key={view.id ?? 'new'}
                  id={view.id}
                  pipeline={view.pipeline}
                  onDone={(pipeline) => {
                    if (status.empty) refresh();
                    setView({ name: 'board', pipeline });
                  }}
                />
              )}
              {view.name === 'learn' && <Learn />}
              {view.name === 'monitor' && <Monitor onOpenRecord={openRecord} dataDir={status.dataDir} />}
              {view.name === 'national' && <National dataDir={status.dataDir} />}
              {view.name === 'conflicts' && <Conflicts onOpenRecord={(kind, id) => openRecord(kind, id)} onChanged={() => undefined} />}
              {view.name === 'settings' && (
                <Settings
                  status={status}
                  onSaved={(settings: SettingsT) => setStatus({ ...status, settings })}
                  onImport={() => setView({ name: 'import' })}
                  onImportedExport={() => void refresh()}
                />
              )}
            </>
          )}
        </main>
      </div>
    </I18nContext.Provider>
  );
}

function Sidebar(props: {
  current: Section;
  onNavigate: (section: Section) => void;
  lang: Language;
  onLanguage: (l: Language) => void;
  onSearch: () => void;
  recordKinds: RecordKind[];
  conflicts: number;
  syncLine: string | null;
}) {
  const i = useI18n();
  const { t } = i;
  const items: { section: Section; id: string; label: string }[] = [
    { section: 'week', id: 'nav-week', label: t('nav.week') },
    { section: 'disclosures', id: 'nav-disclosures', label: t('nav.disclosures') },
    { section: 'boards', id: 'nav-boards', label: t('nav.boards') },
    ...props.recordKinds.map((k) => ({ section: `records:${k}` as Section, id: `nav-${k}`, label: kindLabel(i, k) })),
    { section: 'monitor', id: 'nav-monitor', label: t('nav.monitor') },
    { section: 'national', id: 'nav-national', label: t('nav.national') },
    ...(props.conflicts > 0
      ? [{ section: 'conflicts' as Section, id: 'nav-conflicts', label: t('nav.conflicts', { count: String(props.conflicts) }) }]
      : []),
    { section: 'learn', id: 'nav-learn', label: t('nav.learn') },
  ];
  const item = (section: Section, id: string, label: string) => (
    <button
      type="button"
      class={`nav-item ${props.current === section ? 'active' : ''}`}
      id={id}
      aria-current={props.current === section ? 'page' : undefined}
      onClick={() => props.onNavigate(section)}
    >
      {label}
    </button>
  );
  return (
    <nav class="sidebar" aria-label="KTO Desk">
      <div class="brand">
        <strong>{t('app.name')}</strong>
        <span>{t('app.tagline')}</span>
      </div>
      <button type="button" class="nav-item nav-search" id="open-search" onClick={props.onSearch}>
        {t('search.open')} <kbd>{t('search.shortcut')}</kbd>
      </button>
      {items.map((x) => item(x.section, x.id, x.label))}
      {/* Settings and the language stay in view in a small window; the rest scrolls. */}
      <div class="sidebar-foot">
        {props.syncLine && (
          <p class="sync-line muted small" id="sync-line" role="status">
            {props.syncLine}
          </p>
        )}
        {item('settings', 'nav-settings', t('nav.settings'))}
        <div class="language-switch" role="group" aria-label={t('nav.language')}>
        {(['en', 'nl'] as const).map((l) => (
          <button
            type="button"
            id={`lang-${l}`}
            class={props.lang === l ? 'active' : ''}
            aria-pressed={props.lang === l}
            onClick={() => props.onLanguage(l)}
          >
            {l.toUpperCase()}
          </button>
        ))}
        </div>
      </div>
    </nav>
  );
}

function OpenFailed({ status, onRestored }: { status: AppStatus; onRestored: () => void }) {
  const { t } = useI18n();
  return (
    <section class="view">
      <div class="card welcome-card" role="alert" id="open-failed">
        <h1>{t('error.openFailed')}</h1>
        <p>{status.openError?.message}</p>
        <p class="muted">{t('error.openHelp', { path: status.dbPath })}</p>
      </div>
      {/* Safe mode: the newest good backup, restored only after a confirmation. */}
      <Backups openFailed onRestored={onRestored} />
    </section>
  );
}
