// The only module that talks to the backend. Every command has typed arguments and
// results (types generated from the Rust code into ./bindings by ts-rs), and every
// rejection becomes an ApiFailure whose `kind` the UI branches on.
import { invoke } from '@tauri-apps/api/core';
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

/** A failed backend call, with the kind the UI branches on. */
export class ApiFailure extends Error {
  readonly kind: ErrorKind;
  readonly fields: FieldError[];
  constructor(kind: ErrorKind, message: string, fields: FieldError[] = []) {
    super(message);
    this.kind = kind;
    this.fields = fields;
  }
}

const KINDS: readonly ErrorKind[] = ['notFound', 'validation', 'conflict', 'storage', 'io', 'internal'];

/** Turns whatever a rejected invoke carried into an ApiFailure. */
export function toFailure(e: unknown): ApiFailure {
  if (e instanceof ApiFailure) return e;
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const err = e as ApiError;
    const kind = KINDS.includes(err.kind) ? err.kind : 'internal';
    return new ApiFailure(kind, String(err.message), err.fields ?? []);
  }
  return new ApiFailure('internal', e instanceof Error ? e.message : String(e));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toFailure(e);
  }
}

export const api = {
  appStatus: () => call<AppStatus>('app_status'),
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
  renameStage: (id: string, name: string) => call<Stage>('rename_stage', { id, name }),
  addStage: (pipeline: Pipeline, name: string, outcome: Outcome) => call<Stage>('add_stage', { pipeline, name, outcome }),
  reorderStages: (pipeline: Pipeline, ids: string[]) => call<Stage[]>('reorder_stages', { pipeline, ids }),
};
