// The only module that talks to the backend. Every command has typed arguments and
// results (types generated from the Rust code into ./bindings by ts-rs), and every
// rejection becomes an ApiFailure whose `kind` the UI branches on.
import { invoke, type InvokeArgs, type InvokeOptions } from '@tauri-apps/api/core';
import type { Command } from './bindings/commands';
import type { ApiError } from './bindings/ApiError';
import type { AppStatus } from './bindings/AppStatus';
import type { DemoLoaded } from './bindings/DemoLoaded';
import type { Disclosure } from './bindings/Disclosure';
import type { DisclosureDetail } from './bindings/DisclosureDetail';
import type { DisclosureInput } from './bindings/DisclosureInput';
import type { DisclosureQuery } from './bindings/DisclosureQuery';
import type { DisclosureRow } from './bindings/DisclosureRow';
import type { ErrorKind } from './bindings/ErrorKind';
import type { FieldError } from './bindings/FieldError';
import type { Organisation } from './bindings/Organisation';
import type { Page } from './bindings/Page';
import type { Person } from './bindings/Person';
import type { Settings } from './bindings/Settings';

export type {
  AppStatus,
  DemoLoaded,
  Disclosure,
  DisclosureDetail,
  DisclosureInput,
  DisclosureQuery,
  DisclosureRow,
  ErrorKind,
  FieldError,
  Organisation,
  Page,
  Person,
  Settings,
};
import type { Board } from './bindings/Board';
import type { Deal } from './bindings/Deal';
import type { DealDetail } from './bindings/DealDetail';
import type { DealInput } from './bindings/DealInput';
import type { Outcome } from './bindings/Outcome';
import type { Pipeline } from './bindings/Pipeline';
import type { Stage } from './bindings/Stage';
import type { SearchHit } from './bindings/SearchHit';
import type { Week } from './bindings/Week';

export type { Board, Deal, DealDetail, DealInput, Outcome, Pipeline, SearchHit, Stage, Week };
export type { Card } from './bindings/Card';
import type { DealRow } from './bindings/DealRow';
import type { DisclosureBoard } from './bindings/DisclosureBoard';
export type { DealRow, DisclosureBoard };
export type { DealSort } from './bindings/DealSort';
export type { DisclosureColumn } from './bindings/DisclosureColumn';
import type { Decision as DecisionT } from './bindings/Decision';
import type { DisclosureStage as DisclosureStageT } from './bindings/DisclosureStage';
export type { RecordKind } from './bindings/RecordKind';
export type { NextAction } from './bindings/NextAction';
export type { StageTotal } from './bindings/StageTotal';
export type { Column } from './bindings/Column';
export type { Activity } from './bindings/Activity';
export type { Decision } from './bindings/Decision';
export type { DisclosureSort } from './bindings/DisclosureSort';
export type { DisclosureStage } from './bindings/DisclosureStage';
export type { InventorInput } from './bindings/InventorInput';
export type { Language } from './bindings/Language';
import type { KindSpec } from './bindings/KindSpec';
import type { FieldSpec } from './bindings/FieldSpec';
import type { StoredRecord } from './bindings/StoredRecord';
import type { RecordQuery } from './bindings/RecordQuery';
import type { Links } from './bindings/Links';
import type { LinkedRecord } from './bindings/LinkedRecord';
import type { RecordRef } from './bindings/RecordRef';
import type { SavedView } from './bindings/SavedView';
import type { Value } from './bindings/Value';
import type { Activity as ActivityT } from './bindings/Activity';
import type { RecordKind as RecordKindT } from './bindings/RecordKind';
import type { ConsortiumToeslag } from './bindings/ConsortiumToeslag';
import type { RecordDeadline } from './bindings/RecordDeadline';
import type { Attachment } from './bindings/Attachment';
export type { Attachment };
export type { KindSpec, FieldSpec, StoredRecord, RecordQuery, Links, LinkedRecord, RecordRef, SavedView, Value, ConsortiumToeslag, RecordDeadline };
/** Field values of a record by field key. */
export type Values = { [key in string]: Value };

/** A failed backend call, with the kind the UI branches on. */
export class ApiFailure extends Error {
  readonly kind: ErrorKind;
  readonly fields: FieldError[];
  /** The exact error, when the backend names it (error.rs). */
  readonly code: string | null;
  /** The values a coded error names (a path, a name, an id). */
  readonly params: Record<string, string>;
  constructor(kind: ErrorKind, message: string, fields: FieldError[] = [], code: string | null = null, params: Record<string, string> = {}) {
    super(message);
    this.kind = kind;
    this.fields = fields;
    this.code = code;
    this.params = params;
  }
}

const KINDS: readonly ErrorKind[] = ['notFound', 'validation', 'conflict', 'storage', 'damaged', 'io', 'internal', 'confirm'];

/** Turns whatever a rejected invoke carried into an ApiFailure. */
export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const err = e as ApiError;
    const kind = KINDS.includes(err.kind) ? err.kind : 'internal';
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(err.params ?? {})) if (typeof v === 'string') params[k] = v;
    return new ApiFailure(kind, String(err.message), err.fields ?? [], err.code ?? null, params);
  }
  return new ApiFailure('internal', e instanceof Error ? e.message : String(e));
}

/** Calls one of the app's commands (their names are generated from the Rust functions). */
async function call<T>(command: Command, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  try {
    return await invoke<T>(command, args, options);
  } catch (e) {
    const failure = toFailure(e);
    // The start-up check found the file damaged after the first screen was shown: the
    // shell reloads its status and switches to safe mode.
    if (failure.kind === 'damaged') window.dispatchEvent(new Event(DAMAGED_EVENT));
    throw failure;
  }
}

/** Fired on `window` when a call reports a damaged database. */
export const DAMAGED_EVENT = 'kto-database-damaged';

export const api = {
  appStatus: () => call<AppStatus>('app_status'),
  /** Tells the backend a screen is usable (start-up time and memory are logged). */
  appReady: (screen: string) => call<null>('app_ready', { screen }),
  /** Resolves when the start-up integrity check has passed; rejects (and signals safe mode) when it failed. */
  startupCheck: () => call<null>('startup_check'),
  saveSettings: (settings: Settings) => call<Settings>('save_settings', { settings }),
  loadDemoOffice: () => call<DemoLoaded>('load_demo_office'),
  listDisclosures: (query: DisclosureQuery) => call<Page<DisclosureRow>>('list_disclosures', { query }),
  getDisclosure: (id: string) => call<DisclosureDetail>('get_disclosure', { id }),
  createDisclosure: (input: DisclosureInput) => call<Disclosure>('create_disclosure', { input }),
  updateDisclosure: (id: string, input: DisclosureInput) => call<Disclosure>('update_disclosure', { id, input }),
  listFaculties: () => call<string[]>('list_faculties'),
  listPeople: (filter: string, limit = 20) => call<Person[]>('list_people', { filter, limit }),
  listOrganisations: () => call<Organisation[]>('list_organisations'),
  getWeek: () => call<Week>('get_week'),
  searchAll: (text: string) => call<SearchHit[]>('search_all', { text }),
  getBoard: (pipeline: Pipeline) => call<Board>('get_board', { pipeline }),
  listStages: (pipeline: Pipeline) => call<Stage[]>('list_stages', { pipeline }),
  getDeal: (id: string) => call<DealDetail>('get_deal', { id }),
  createDeal: (input: DealInput) => call<Deal>('create_deal', { input }),
  updateDeal: (id: string, input: DealInput) => call<Deal>('update_deal', { id, input }),
  moveDeal: (id: string, stageId: string, lostReason = '') => call<Deal>('move_deal', { id, stageId, lostReason }),
  /** One page of a pipeline's deal table; filters `stageId` and `owner`. */
  listDeals: (pipeline: Pipeline, query: RecordQuery) => call<Page<DealRow>>('list_deals', { pipeline, query }),
  listDealOwners: (pipeline: Pipeline) => call<string[]>('list_deal_owners', { pipeline }),
  getDisclosureBoard: () => call<DisclosureBoard>('get_disclosure_board'),
  /** Moves a disclosure; a move to "decided" needs the decision and its date. */
  moveDisclosure: (id: string, stage: DisclosureStageT, decision: DecisionT | null = null, decidedOn: string | null = null) =>
    call<Disclosure>('move_disclosure', { id, stage, decision, decidedOn }),
  renameStage: (id: string, name: string) => call<Stage>('rename_stage', { id, name }),
  addStage: (pipeline: Pipeline, name: string, outcome: Outcome) => call<Stage>('add_stage', { pipeline, name, outcome }),
  reorderStages: (pipeline: Pipeline, ids: string[]) => call<Stage[]>('reorder_stages', { pipeline, ids }),
  recordKinds: () => call<KindSpec[]>('record_kinds'),
  checkRecord: (kind: RecordKindT, values: Values) => call<FieldError[]>('check_record', { kind, values }),
  recordDeadlines: (kind: RecordKindT, id: string) => call<RecordDeadline[]>('record_deadlines', { kind, id }),
  listRecords: (kind: RecordKindT, query: RecordQuery) => call<Page<StoredRecord>>('list_records', { kind, query }),
  getRecord: (kind: RecordKindT, id: string) => call<StoredRecord>('get_record', { kind, id }),
  createRecord: (kind: RecordKindT, values: Values) => call<StoredRecord>('create_record', { kind, values }),
  updateRecord: (kind: RecordKindT, id: string, values: Values) => call<StoredRecord>('update_record', { kind, id, values }),
  deleteRecord: (kind: RecordKindT, id: string, confirmed: boolean) => call<null>('delete_record', { kind, id, confirmed }),
  getLinks: (kind: RecordKindT, id: string) => call<Links>('get_links', { kind, id }),
  findRecords: (kind: RecordKindT, text: string, limit = 30) => call<RecordRef[]>('find_records', { kind, text, limit }),
  getTimeline: (id: string) => call<ActivityT[]>('get_timeline', { id }),
  addNote: (kind: RecordKindT, id: string, text: string) => call<null>('add_note', { kind, id, text }),
  /** A kind's saved views; a deal table's are those of its pipeline. */
  listViews: (kind: RecordKindT, pipeline: Pipeline | null = null) => call<SavedView[]>('list_views', { kind, pipeline }),
  /** Saves a view; a deal view is kept under the pipeline in its `pipeline` filter. */
  saveView: (view: SavedView) => call<null>('save_view', { view }),
  deleteView: (kind: RecordKindT, name: string, pipeline: Pipeline | null = null) => call<null>('delete_view', { kind, name, pipeline }),
  consortiumToeslag: (id: string) => call<ConsortiumToeslag[]>('consortium_toeslag', { id }),
  listAttachments: (recordId: string) => call<Attachment[]>('list_attachments', { recordId }),
  /** Sends the file as raw bytes; the record and name travel in headers. */
  addAttachment: async (kind: RecordKindT, recordId: string, file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return call<Attachment>('add_attachment', bytes, {
      headers: { 'x-record-kind': kind, 'x-record-id': recordId, 'x-file-name': encodeURIComponent(file.name) },
    });
  },
  openAttachment: (id: string) => call<string>('open_attachment', { id }),
  deleteAttachment: (id: string) => call<null>('delete_attachment', { id }),
};

// Spin-off terms, cap-table maths, exports and Learn progress (commands/terms.rs).
import type * as T from './terms';
export type * from './terms';

export const termsApi = {
  listReferenceSets: () => call<T.ReferenceSetEntry[]>('list_reference_sets'),
  saveReferenceSet: (set: T.ReferenceSet) => call<T.ReferenceSet>('save_reference_set', { set }),
  deleteReferenceSet: (id: string) => call<null>('delete_reference_set', { id }),
  getSpinOffTerms: (spinOffId: string) => call<T.SpinOffTerms>('get_spin_off_terms', { spinOffId }),
  saveSpinOffTerms: (input: T.SpinOffTerms) => call<T.SpinOffTerms>('save_spin_off_terms', { input }),
  checkTerms: (terms: T.DealTerms, setId: string) => call<T.TermCheck[]>('check_terms', { terms, setId }),
  simulateCapTable: (plan: T.CapTablePlan) => call<T.CapTableSimulation>('simulate_cap_table', { plan }),
  exitWaterfall: (plan: T.CapTablePlan, exitValue: number, exitTerms: T.ExitTerms | null = null) =>
    call<T.Waterfall>('exit_waterfall', { plan, exitValue, exitTerms }),
  compareDealForms: (scenario: T.Scenario, options: T.FormOption[]) =>
    call<T.FormValue[]>('compare_deal_forms', { scenario, options }),
  exportCapTableOcf: (spinOffId: string, path: string | null = null) =>
    call<T.Exported>('export_cap_table_ocf', { spinOffId, path }),
  exportTermSheetPdf: (spinOffId: string, path: string | null = null) =>
    call<T.Exported>('export_term_sheet_pdf', { spinOffId, path }),
  getLearningProgress: () => call<T.LessonProgress[]>('get_learning_progress'),
  saveLessonProgress: (progress: T.LessonProgress) => call<T.LessonProgress>('save_lesson_progress', { progress }),
};

// The yearly monitor: figures with drill-down, office inputs, settings, the signing key
// and the signed submissions (commands/monitor.rs).
import type { MonitorOverview } from './bindings/MonitorOverview';
import type { CountedRecord } from './bindings/CountedRecord';
import type { OfficeInputs } from './bindings/OfficeInputs';
import type { MonitorSettings } from './bindings/MonitorSettings';
import type { SigningKeyInfo } from './bindings/SigningKeyInfo';
import type { SigningKeyRecord } from './bindings/SigningKeyRecord';
import type { SignedExport } from './bindings/SignedExport';
import type { SubmissionRecord } from './bindings/SubmissionRecord';
export type { MonitorOverview, CountedRecord, OfficeInputs, MonitorSettings, SigningKeyInfo, SigningKeyRecord, SignedExport, SubmissionRecord };
export type { Figure } from './bindings/Figure';
export type { FigureValue } from './bindings/FigureValue';
export type { FigureChange } from './bindings/FigureChange';
export type { QualityWarning } from './bindings/QualityWarning';
export type { QualityProblem } from './bindings/QualityProblem';
export type { MonitorRecordKind } from './bindings/MonitorRecordKind';
export type { IndicatorDef } from './bindings/IndicatorDef';

export const monitorApi = {
  overview: (year: number) => call<MonitorOverview>('monitor_overview', { year }),
  figureRecords: (year: number, code: string) => call<CountedRecord[]>('figure_records', { year, code }),
  getOfficeInputs: (year: number) => call<OfficeInputs | null>('get_office_inputs', { year }),
  saveOfficeInputs: (inputs: OfficeInputs) => call<OfficeInputs>('save_office_inputs', { inputs }),
  getSettings: () => call<MonitorSettings>('get_monitor_settings'),
  saveSettings: (settings: MonitorSettings) => call<MonitorSettings>('save_monitor_settings', { settings }),
  signingKey: () => call<SigningKeyInfo | null>('signing_key_info'),
  listSigningKeys: () => call<SigningKeyRecord[]>('list_signing_keys'),
  generateSigningKey: (passphrase: string) => call<SigningKeyInfo>('generate_signing_key', { passphrase }),
  /** Writes the public key into `dir` (an absolute folder); returns the file's path. */
  /** Writes the public key into `dir`; a typed folder is refused (kind `confirm`) until `confirmed`. */
  exportPublicKey: (dir: string, confirmed = false) => call<string>('export_public_key', { dir, confirmed }),
  /** Signs `year`; files go to `outDir`, or the data folder's `submissions/` when null. */
  signSubmission: (year: number, passphrase: string, outDir: string | null = null) =>
    call<SignedExport>('sign_submission', { year, passphrase, outDir }),
  listSubmissions: () => call<SubmissionRecord[]>('list_submissions'),
};

// The office's data as a whole: backups, restore and safe mode (commands/data.rs).
import type { AuditReport } from './bindings/AuditReport';
import type { BackupInfo } from './bindings/BackupInfo';
import type { BackupKind } from './bindings/BackupKind';
import type { BackupList } from './bindings/BackupList';
import type { RestoreOutcome } from './bindings/RestoreOutcome';
import type { ExportOutcome } from './bindings/ExportOutcome';
import type { ExportProgress } from './bindings/ExportProgress';
import type { ExportTargets } from './bindings/ExportTargets';
import type { SavedBackup } from './bindings/SavedBackup';
import type { WorkbookExported } from './bindings/WorkbookExported';
import type { CalendarExported } from './bindings/CalendarExported';
import type { ImportedExport } from './bindings/ImportedExport';
export type { BackupInfo, BackupKind, BackupList, RestoreOutcome };
export type { CalendarExported, ExportOutcome, ExportProgress, ExportTargets, ImportedExport, SavedBackup, WorkbookExported };

export const dataApi = {
  /** The backups, newest first; in safe mode also the newest one that passes the check. */
  listBackups: () => call<BackupList>('list_backups'),
  backupNow: () => call<BackupInfo>('backup_now'),
  /** Replaces the office's data with backup `name`; the backend refuses unless `confirmed`. */
  restoreBackup: (name: string, confirmed: boolean) => call<RestoreOutcome>('restore_backup', { name, confirmed }),
  /** Today's default export folder, backup file and calendar file in the Documents folder. */
  suggestExportTargets: () => call<ExportTargets>('suggest_export_targets'),
  /** Writes the full export into `target`; `onProgress` hears each file and its rows. A
   * folder the user typed rather than chose is refused (kind `confirm`) until `confirmed`. */
  exportEverything: (target: string, onProgress: (p: ExportProgress) => void, confirmed = false) => {
    const channel = new Channel<ExportProgress>();
    channel.onmessage = onProgress;
    return call<ExportOutcome>('export_everything', { target, confirmed, onProgress: channel });
  },
  cancelExport: () => call<null>('cancel_export'),
  /** Imports the whole export in the folder `source` into this (empty) office; a typed
   * folder is refused (kind `confirm`) until `confirmed`. */
  importExport: (source: string, confirmed = false) => call<ImportedExport>('import_export', { source, confirmed }),
  savePortableBackup: (target: string, confirmed = false) => call<SavedBackup>('save_portable_backup', { target, confirmed }),
  /** Writes the Excel workbook (a sheet per kind, typed cells) to the new file `target`; a
   * typed file is refused (kind `confirm`) until `confirmed`. */
  exportXlsx: (target: string, confirmed = false) => call<WorkbookExported>('export_xlsx', { target, confirmed }),
  /** The people responsible for deals, whom a calendar can be made for. */
  calendarPeople: () => call<string[]>('calendar_people'),
  /** Writes the deadlines and next actions as an iCalendar file `target` (new), for the
   * office or `person`; a typed file is refused (kind `confirm`) until `confirmed`. */
  exportCalendar: (target: string, person: string | null, confirmed = false) =>
    call<CalendarExported>('export_calendar', { target, person, confirmed }),
  /** The native folder picker, opened by the backend so that it knows what was picked; `null` when closed. */
  chooseFolder: (defaultPath: string, title: string) => call<string | null>('choose_folder', { defaultPath, title }),
  /** Opens a file the app wrote in this session, or with `folder` the folder it is in. */
  openWritten: (path: string, folder = false) => call<void>('open_written', { path, folder }),
  /** The native save-file picker, opened by the backend; `null` when the user closes it. */
  chooseSaveFile: (defaultPath: string, title: string) => call<string | null>('choose_save_file', { defaultPath, title }),
  /** The office's whole audit check (history chain, schema, records, anchors). */
  verifyAudit: () => call<AuditReport>('verify_audit'),
};

// Spreadsheet import: the file is sent once, then mapped, previewed, applied with progress
// and cancel, and the last import can be undone (commands/import.rs).
import { Channel } from '@tauri-apps/api/core';
import type { ImportBatch } from './bindings/ImportBatch';
import type { ImportChoice } from './bindings/ImportChoice';
import type { ImportFile } from './bindings/ImportFile';
import type { ImportIssue } from './bindings/ImportIssue';
import type { ImportOutcome } from './bindings/ImportOutcome';
import type { ImportPreview } from './bindings/ImportPreview';
import type { ImportProgress } from './bindings/ImportProgress';
import type { ImportRequest } from './bindings/ImportRequest';
import type { ImportSource } from './bindings/ImportSource';
import type { UndoOutcome } from './bindings/UndoOutcome';
export type { ImportBatch, ImportChoice, ImportFile, ImportIssue, ImportOutcome, ImportPreview, ImportProgress, ImportRequest, ImportSource, UndoOutcome };
export type { ImportColumn } from './bindings/ImportColumn';
export type { ImportDuplicate } from './bindings/ImportDuplicate';
export type { IssueKind } from './bindings/IssueKind';
export type { DuplicateChoice } from './bindings/DuplicateChoice';

export const importApi = {
  /** The kinds an import reads, disclosures and deals first, with their fields. */
  kinds: () => call<KindSpec[]>('import_kinds'),
  /** Sends the chosen file as raw bytes; its name travels in a header. */
  loadFile: async (file: File) => {
    const bytes = new Uint8Array(await file.arrayBuffer());
    return call<ImportFile>('load_import_file', bytes, { headers: { 'x-file-name': encodeURIComponent(file.name) } });
  },
  inspect: (kind: RecordKindT, sheet: string | null) => call<ImportSource>('inspect_import', { kind, sheet }),
  preview: (request: ImportRequest) => call<ImportPreview>('preview_import', { request }),
  /** Runs the import; `onProgress` hears how far it got. */
  apply: (request: ImportRequest, choices: ImportChoice[], onProgress: (p: ImportProgress) => void) => {
    const channel = new Channel<ImportProgress>();
    channel.onmessage = onProgress;
    return call<ImportOutcome>('apply_import', { request, choices, onProgress: channel });
  },
  cancel: () => call<null>('cancel_import'),
  lastImport: () => call<ImportBatch | null>('last_import'),
  undoLastImport: () => call<UndoOutcome>('undo_last_import'),
};

// The national monitor's receiving side, for the coordinator (commands/national.rs).
import type { NationalKeys } from './bindings/NationalKeys';
import type { NationalInbox } from './bindings/NationalInbox';
import type { NationalOutputs } from './bindings/NationalOutputs';
import type { BenchmarkSet } from './bindings/BenchmarkSet';
import type { Language as LanguageT } from './bindings/Language';
export type { NationalKeys, NationalInbox, NationalOutputs, BenchmarkSet };
export type { BenchmarkFigure } from './bindings/BenchmarkFigure';
export type { FigureTotal } from './bindings/FigureTotal';
export type { InboxFile } from './bindings/InboxFile';
export type { RegisteredKey } from './bindings/RegisteredKey';
export type { RefusalKind } from './bindings/RefusalKind';
export type { SubmissionUnit } from './bindings/SubmissionUnit';
export type { YearAggregate } from './bindings/YearAggregate';

export const nationalApi = {
  keys: () => call<NationalKeys>('national_keys'),
  /** Registers the text of an office's `.pub` file for an institution. */
  registerKey: (publicKey: string, institutionId: string, institutionName: string) =>
    call<NationalKeys>('register_office_key', { publicKey, institutionId, institutionName }),
  /** Replaces an institution's key; the old one stays valid up to and including `lastYear`. */
  rotateKey: (institutionId: string, publicKey: string, lastYear: number) =>
    call<NationalKeys>('rotate_office_key', { institutionId, publicKey, lastYear }),
  generateCoordinatorKey: (passphrase: string) => call<NationalKeys>('generate_coordinator_key', { passphrase }),
  /** Checks every file of the inbox folder (only read) and aggregates the accepted ones. */
  checkInbox: (folder: string) => call<NationalInbox>('check_national_inbox', { folder }),
  /** Signs the aggregate and writes it with CSV, XLSX and PDF into `outDir`. */
  writeOutputs: (folder: string, passphrase: string, outDir: string, language: LanguageT, confirmed = false) =>
    call<NationalOutputs>('write_national_outputs', { folder, passphrase, outDir, confirmed, language }),
  benchmark: () => call<BenchmarkSet>('national_benchmark'),
};

// One office out of several laptops: the shared folder, syncing, conflicts (commands/sync.rs).
import type { SyncOverview } from './bindings/SyncOverview';
import type { SyncReport } from './bindings/SyncReport';
import type { SyncConflict } from './bindings/SyncConflict';
export type { SyncOverview, SyncReport, SyncConflict };
export type { SyncProblem } from './bindings/SyncProblem';
export type { DeviceStatus } from './bindings/DeviceStatus';

export const syncApi = {
  overview: () => call<SyncOverview>('sync_overview'),
  /** Chooses the shared folder; an empty string stops syncing. */
  setFolder: (folder: string, confirmed = false) => call<SyncOverview>('set_sync_folder', { folder, confirmed }),
  syncNow: () => call<SyncReport>('sync_now'),
  writeSnapshot: () => call<string>('write_sync_snapshot'),
  conflicts: () => call<SyncConflict[]>('sync_conflicts'),
  /** Accepts the provisional choice, or (`swap`) makes the other value the office's. */
  resolve: (id: number, swap: boolean) => call<SyncConflict[]>('resolve_conflict', { id, swap }),
  /** Joins the office of a shared folder; only on a fresh (empty) installation. */
  join: (folder: string, confirmed = false) => call<SyncReport>('join_office', { folder, confirmed }),
};
