// The Learn sandbox: a cap table with two funding rounds, an exit waterfall and the
// equity-versus-royalty comparison. All maths runs in kto-core through stateless commands;
// nothing here reads or writes the office's records.
import { useEffect, useState } from 'preact/hooks';
import {
  termsApi,
  type AntiDilution,
  type CapTablePlan,
  type CapTableSimulation,
  type FormOption,
  type FormValue,
  type HolderKind,
  type Ownership,
  type Participation,
  type Waterfall,
} from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { NumberInput } from '../components/NumberInput';
import { formatNumberText, parseNumberText, type NumberKind } from '../lib/parse';
import { investment, poolTopUp } from '../lib/termsForms';
import { useI18n, type I18n, type MessageKey } from '../i18n';

export type ParticipationKind = Participation['kind'];

export interface RoundInput {
  preMoney: number;
  amount: number;
  poolTargetPct: number;
  antiDilution: AntiDilution;
  /** Liquidation preference as a multiple of the price paid (1 when absent). */
  multiple?: number;
  participation?: ParticipationKind;
  /** Cap on the total received, as a multiple of the price paid (capped participation). */
  capMultiple?: number;
  /** Higher is paid first; equal ranks share pari passu (0 when absent). */
  seniority?: number;
}

export interface SandboxState {
  tab: 'capTable' | 'exitValue';
  universityPct: number;
  poolPct: number;
  rounds: [RoundInput, RoundInput];
  exitValue: number;
  revenueStart: number;
  growthPct: number;
  years: number;
  exitYear: number;
  discountPct: number;
  dilutionPct: number;
  equityPct: number;
  royaltyPct: number;
  freeMonths: number;
}

export const DEFAULT_SANDBOX: SandboxState = {
  tab: 'capTable',
  universityPct: 10,
  poolPct: 10,
  rounds: [
    { preMoney: 2_000_000, amount: 500_000, poolTargetPct: 10, antiDilution: 'none' },
    { preMoney: 8_000_000, amount: 3_000_000, poolTargetPct: 10, antiDilution: 'broadBasedWeightedAverage' },
  ],
  exitValue: 30_000_000,
  revenueStart: 200_000,
  growthPct: 50,
  years: 10,
  exitYear: 7,
  discountPct: 12,
  dilutionPct: 45,
  equityPct: 10,
  royaltyPct: 3,
  freeMonths: 12,
};

const TOTAL_SHARES = 1_000_000;
const ANTI: AntiDilution[] = ['none', 'broadBasedWeightedAverage', 'narrowBasedWeightedAverage', 'fullRatchet'];
const PARTICIPATION: ParticipationKind[] = ['nonParticipating', 'participating', 'cappedParticipating'];

/** The round's preference terms in the shape kto-core reads (multiples in basis points). */
export function preferenceOf(r: RoundInput) {
  const multipleBp = Math.round((r.multiple ?? 1) * 10_000);
  const kind = r.participation ?? 'nonParticipating';
  const participation: Participation =
    kind === 'cappedParticipating'
      ? { kind, capMultipleBp: Math.max(multipleBp, Math.round((r.capMultiple ?? 3) * 10_000)) }
      : { kind };
  return { multipleBp, participation, seniority: Math.max(0, Math.round(r.seniority ?? 0)) };
}

/** The cap-table plan the sandbox inputs describe (shares out of one million at founding). */
export function planOf(s: SandboxState, names: { founders: string; university: string; pool: string; seed: string; seriesA: string }): CapTablePlan {
  const university = Math.round(s.universityPct * (TOTAL_SHARES / 100));
  const pool = Math.round(s.poolPct * (TOTAL_SHARES / 100));
  const founders = Math.max(0, TOTAL_SHARES - university - pool);
  const ids = ['seed', 'seriesA'] as const;
  return {
    founding: [
      { holder: { id: 'founders', name: names.founders, kind: 'founder' }, shares: founders },
      { holder: { id: 'university', name: names.university, kind: 'university' }, shares: university },
      { holder: { id: 'pool', name: names.pool, kind: 'optionPool' }, shares: pool },
    ],
    rounds: s.rounds.map((r, i) => {
      const id = i === 0 ? ids[0] : ids[1];
      return {
        name: names[id],
        preMoney: Math.round(r.preMoney * 100),
        newHolders: [{ id, name: names[id], kind: 'investor' as HolderKind }],
        investments: [investment(id, Math.round(r.amount * 100), r.antiDilution)],
        poolTopUp: r.poolTargetPct > 0 ? poolTopUp('pool', Math.round(r.poolTargetPct * 100)) : null,
        preference: preferenceOf(r),
      };
    }),
  };
}

function names(t: I18n['t']) {
  return {
    founders: t('sandbox.founders'),
    university: t('sandbox.university'),
    pool: t('sandbox.pool'),
    seed: t('sandbox.seed'),
    seriesA: t('sandbox.seriesA'),
  };
}

/** How a sandbox number is typed: its field kind, and the factor from the field's integer
 * (cents, basis points, hundredths) to the sandbox's plain number (euros, %, ×). */
const SCALE: Record<NumberKind, number> = { amount: 100, percent: 100, hundredths: 100, whole: 1 };

/** A sandbox number: typed as every number field of the app is (kept as typed, in the
 * language's format), recomputing the tables as soon as the text reads as a number. */
function SandboxNumber(props: { id: string; label: string; kind: NumberKind; value: number; max?: number; onChange: (v: number) => void }) {
  const { lang } = useI18n();
  const { kind, value, max } = props;
  const toText = (v: number) => formatNumberText(kind, Math.round(v * SCALE[kind]), lang);
  const read = (text: string): number | null => {
    const n = parseNumberText(kind, text, lang);
    if (n === null || Number.isNaN(n)) return null;
    const v = n / SCALE[kind];
    return v >= 0 && (max === undefined || v <= max) ? v : null;
  };
  const [text, setText] = useState(() => toText(value));
  // A new language writes the number in its format; a value set elsewhere (a lesson) is shown.
  useEffect(() => setText(toText(value)), [lang]);
  useEffect(() => {
    if (read(text) !== value) setText(toText(value));
  }, [value]);
  const invalid = text.trim() !== '' && read(text) === null;
  return (
    <label class={`field sandbox-field ${invalid ? 'field-invalid' : ''}`}>
      <span>{props.label}</span>
      <NumberInput
        id={props.id}
        kind={kind}
        text={text}
        invalid={invalid}
        onText={(t) => {
          setText(t);
          const v = read(t);
          if (v !== null && v !== value) props.onChange(v);
        }}
      />
    </label>
  );
}

export function Sandbox(props: { state: SandboxState; onChange: (s: SandboxState) => void }) {
  const i = useI18n();
  const { t } = i;
  const s = props.state;
  const set = (patch: Partial<SandboxState>) => props.onChange({ ...s, ...patch });
  const setRound = (index: 0 | 1, patch: Partial<RoundInput>) => {
    const rounds: [RoundInput, RoundInput] = [s.rounds[0], s.rounds[1]];
    rounds[index] = { ...rounds[index], ...patch };
    set({ rounds });
  };
  const foundersPct = Math.max(0, 100 - s.universityPct - s.poolPct);

  return (
    <section class="card sandbox" id="sandbox" aria-labelledby="sandbox-title">
      <header class="sandbox-head">
        <h2 id="sandbox-title">{t('sandbox.title')}</h2>
        <p class="muted small">{t('sandbox.note')}</p>
        <button type="button" class="button button-quiet" id="sandbox-reset" onClick={() => props.onChange({ ...DEFAULT_SANDBOX, tab: s.tab })}>
          {t('sandbox.reset')}
        </button>
      </header>
      <div class="tabs" role="tablist">
        {(['capTable', 'exitValue'] as const).map((tab) => (
          <button
            type="button"
            role="tab"
            id={`sandbox-tab-${tab}`}
            class={`tab ${s.tab === tab ? 'active' : ''}`}
            aria-selected={s.tab === tab}
            onClick={() => set({ tab })}
          >
            {t(`sandbox.${tab}` as MessageKey)}
          </button>
        ))}
      </div>
      <div class="sandbox-inputs">
        <fieldset>
          <legend>{t('sandbox.founding')}</legend>
          <SandboxNumber id="sandbox-university" label={t('sandbox.universityPct')} value={s.universityPct} max={100} onChange={(v) => set({ universityPct: v })} kind="percent" />
          <SandboxNumber id="sandbox-pool" label={t('sandbox.poolPct')} value={s.poolPct} max={100} onChange={(v) => set({ poolPct: v })} kind="percent" />
          <p class="muted small" id="sandbox-founders">{t('sandbox.foundersRest', { pct: i.percentBp(foundersPct * 100) })}</p>
        </fieldset>
        {([0, 1] as const).map((index) => {
          const r = s.rounds[index];
          const key = index === 0 ? 'seed' : 'seriesA';
          return (
            <fieldset>
              <legend>{t(`sandbox.${key}` as MessageKey)}</legend>
              <SandboxNumber id={`sandbox-${key}-pre`} label={t('sandbox.preMoney')} value={r.preMoney} onChange={(v) => setRound(index, { preMoney: v })} kind="amount" />
              <SandboxNumber id={`sandbox-${key}-amount`} label={t('sandbox.amount')} value={r.amount} onChange={(v) => setRound(index, { amount: v })} kind="amount" />
              <SandboxNumber id={`sandbox-${key}-pool`} label={t('sandbox.poolTarget')} value={r.poolTargetPct} max={100} onChange={(v) => setRound(index, { poolTargetPct: v })} kind="percent" />
              <label class="field sandbox-field">
                <span>{t('sandbox.antiDilution')}</span>
                <select
                  id={`sandbox-${key}-anti`}
                  value={r.antiDilution}
                  onChange={(e) => setRound(index, { antiDilution: (e.target as HTMLSelectElement).value as AntiDilution })}
                >
                  {ANTI.map((a) => (
                    <option value={a}>{t(`antiDilution.${a}` as MessageKey)}</option>
                  ))}
                </select>
              </label>
              <SandboxNumber id={`sandbox-${key}-multiple`} label={t('sandbox.multiple')} value={r.multiple ?? 1} onChange={(v) => setRound(index, { multiple: v })} kind="hundredths" />
              <label class="field sandbox-field">
                <span>{t('sandbox.participation')}</span>
                <select
                  id={`sandbox-${key}-participation`}
                  value={r.participation ?? 'nonParticipating'}
                  onChange={(e) => setRound(index, { participation: (e.target as HTMLSelectElement).value as ParticipationKind })}
                >
                  {PARTICIPATION.map((p) => (
                    <option value={p}>{t(`sandbox.participation.${p}` as MessageKey)}</option>
                  ))}
                </select>
              </label>
              {r.participation === 'cappedParticipating' && (
                <SandboxNumber id={`sandbox-${key}-cap`} label={t('sandbox.cap')} value={r.capMultiple ?? 3} onChange={(v) => setRound(index, { capMultiple: v })} kind="hundredths" />
              )}
              <SandboxNumber id={`sandbox-${key}-seniority`} label={t('sandbox.seniority')} value={r.seniority ?? 0} max={10} onChange={(v) => setRound(index, { seniority: v })} kind="whole" />
            </fieldset>
          );
        })}
      </div>
      <span id="sandbox-inputs-end" />
      {s.tab === 'capTable' ? <CapTableResult state={s} /> : <ExitResult state={s} set={set} />}
    </section>
  );
}

function useSimulation<T>(run: () => Promise<T>, deps: unknown[]): [T | null, unknown] {
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    run()
      .then((r) => {
        if (!live) return;
        setResult(r);
        setError(null);
      })
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, deps);
  return [result, error];
}

function CapTableResult({ state }: { state: SandboxState }) {
  const { t } = useI18n();
  const plan = planOf(state, names(t));
  const [sim, error] = useSimulation<CapTableSimulation>(() => termsApi.simulateCapTable(plan), [JSON.stringify(plan)]);
  if (!sim) return <ErrorBanner error={error} />;
  return (
    <div class="sandbox-result">
      <ErrorBanner error={error} />
      <OwnershipResult sim={sim} tableId="sandbox-table" cellPrefix="own" chartId="sandbox-chart" />
    </div>
  );
}

/**
 * Ownership at founding and after each round of a simulated cap table: a table (cells
 * `<cellPrefix>-<holder>-<column>`) with the price per share of each round, and a stacked
 * bar per column. Used by the sandbox and by a spin-off's cap table.
 */
export function OwnershipResult(props: { sim: CapTableSimulation; tableId: string; cellPrefix: string; chartId: string }) {
  const i = useI18n();
  const { t } = i;
  const { sim } = props;
  const columns: { label: string; rows: Ownership[] }[] = [
    { label: t('sandbox.founding'), rows: sim.founding },
    ...sim.rounds.map((r) => ({ label: t('sandbox.after', { round: r.round }), rows: r.ownership })),
  ];
  const holders = sim.rounds[sim.rounds.length - 1]?.ownership ?? sim.founding;
  const bpOf = (rows: Ownership[], id: string) => rows.find((o) => o.holder === id)?.bp ?? 0;
  return (
    <>
      <table class="simple-table sandbox-table" id={props.tableId}>
        <thead>
          <tr>
            <th scope="col">{t('sandbox.holder')}</th>
            {columns.map((c) => (
              <th scope="col" class="num">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {holders.map((h) => (
            <tr>
              <th scope="row">
                <span
                  class={`swatch swatch-${h.kind}${h.kind === 'investor' ? ` swatch-investor-${holders.filter((x) => x.kind === 'investor').indexOf(h) % 4}` : ''}`}
                  aria-hidden="true"
                />{' '}
                {h.name}
              </th>
              {columns.map((c, col) => (
                <td class="num" id={`${props.cellPrefix}-${h.holder}-${col}`}>
                  {i.percentBp(bpOf(c.rows, h.holder))}
                </td>
              ))}
            </tr>
          ))}
          <tr class="muted">
            <th scope="row">{t('sandbox.price')}</th>
            <td />
            {sim.rounds.map((r) => (
              <td class="num">{i.euros(r.price.shares > 0 ? r.price.amount / r.price.shares : 0)}</td>
            ))}
          </tr>
        </tbody>
      </table>
      <OwnershipChart id={props.chartId} columns={columns} order={holders.map((h) => h.holder)} />
    </>
  );
}

function OwnershipChart({ id, columns, order }: { id: string; columns: { label: string; rows: Ownership[] }[]; order: string[] }) {
  const { t } = useI18n();
  // Labels are HTML beside each bar, so that the bars can stretch to the width without
  // distorting the text; each investor round gets its own shade.
  const investors = order.filter((h) => columns.some((c) => c.rows.some((r) => r.holder === h && r.kind === 'investor')));
  return (
    <figure class="sandbox-chart" id={id}>
      <figcaption class="muted small">{t('sandbox.chart')}</figcaption>
      {columns.map((c) => {
        let x = 0;
        return (
          <div class="ownership-row">
            <span class="ownership-label">{c.label}</span>
            <svg viewBox="0 0 100 10" role="img" aria-label={c.label} preserveAspectRatio="none">
              {order.map((h) => {
                const o = c.rows.find((r) => r.holder === h);
                if (!o || o.bp === 0) return null;
                const w = o.bp / 100;
                const shade = o.kind === 'investor' ? ` seg-investor-${investors.indexOf(h) % 4}` : '';
                const rect = (
                  <rect x={x} y={0} width={w} height={10} class={`seg seg-${o.kind}${shade}`}>
                    <title>{`${o.name}: ${(o.bp / 100).toFixed(2)} %`}</title>
                  </rect>
                );
                x += w;
                return rect;
              })}
            </svg>
          </div>
        );
      })}
    </figure>
  );
}

function ExitResult({ state, set }: { state: SandboxState; set: (p: Partial<SandboxState>) => void }) {
  const i = useI18n();
  const { t } = i;
  const plan = planOf(state, names(t));
  const exitCents = Math.round(state.exitValue * 100);
  const [fall, fallError] = useSimulation<Waterfall>(() => termsApi.exitWaterfall(plan, exitCents), [JSON.stringify(plan), exitCents]);

  const revenue = Array.from({ length: Math.max(0, Math.min(100, Math.round(state.years))) }, (_, y) =>
    Math.round(state.revenueStart * 100 * Math.pow(1 + state.growthPct / 100, y)),
  );
  const eq = Math.round(state.equityPct * 100);
  const roy = Math.round(state.royaltyPct * 100);
  const free = Math.round(state.freeMonths);
  const options: FormOption[] = [
    { form: 'equity', equityBp: eq, royaltyRateBp: 0, royaltyFreeMonths: 0, exitFeeBp: 0 },
    { form: 'royalty', equityBp: 0, royaltyRateBp: roy, royaltyFreeMonths: free, exitFeeBp: 0 },
    { form: 'hybrid', equityBp: Math.round(eq / 2), royaltyRateBp: Math.round(roy / 2), royaltyFreeMonths: free, exitFeeBp: 0 },
  ];
  const scenario = {
    revenueByYear: revenue,
    exit: state.exitYear > 0 ? { year: Math.round(state.exitYear), value: exitCents } : null,
    dilutionUntilExitBp: Math.round(state.dilutionPct * 100),
    discountRateBp: Math.round(state.discountPct * 100),
  };
  const [values, valuesError] = useSimulation<FormValue[]>(() => termsApi.compareDealForms(scenario, options), [JSON.stringify([scenario, options])]);
  const maxPv = Math.max(1, ...(values ?? []).map((v) => v.presentValue));

  return (
    <div class="sandbox-result">
      <h3>{t('sandbox.waterfall')}</h3>
      <SandboxNumber id="sandbox-exit" label={t('sandbox.exitAt')} value={state.exitValue} onChange={(v) => set({ exitValue: v })} kind="amount" />
      <ErrorBanner error={fallError} />
      {fall && (
        <table class="simple-table" id="sandbox-waterfall">
          <thead>
            <tr>
              <th scope="col">{t('sandbox.holder')}</th>
              <th scope="col" class="num">{t('sandbox.fromPreference')}</th>
              <th scope="col" class="num">{t('sandbox.fromShares')}</th>
              <th scope="col" class="num">{t('sandbox.total')}</th>
              <th scope="col" class="num">%</th>
            </tr>
          </thead>
          <tbody>
            {fall.holders.map((h) => (
              <tr>
                <th scope="row">{h.name}</th>
                <td class="num">{i.euros(h.fromPreference)}</td>
                <td class="num">{i.euros(h.fromShares)}</td>
                <td class="num" id={`payout-${h.holder}`}>{i.euros(h.total)}</td>
                <td class="num">{i.percentBp(h.shareBp)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {fall && fall.series.length > 0 && (
        <table class="simple-table" id="sandbox-series">
          <thead>
            <tr>
              <th scope="col">{t('sandbox.series')}</th>
              <th scope="col" class="num">{t('sandbox.preference')}</th>
              <th scope="col">{t('sandbox.choice')}</th>
              <th scope="col" class="num">{t('sandbox.total')}</th>
            </tr>
          </thead>
          <tbody>
            {fall.series.map((sp) => (
              <tr>
                <th scope="row">{sp.round}</th>
                <td class="num">{i.euros(sp.preference)}</td>
                <td id={`series-choice-${sp.holder}`}>
                  {t(
                    sp.converted
                      ? 'sandbox.choice.converted'
                      : sp.fromShares > 0
                        ? 'sandbox.choice.participated'
                        : 'sandbox.choice.preference',
                  )}
                </td>
                <td class="num" id={`series-payout-${sp.holder}`}>{i.euros(sp.payout)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('sandbox.compare')}</h3>
      <div class="sandbox-inputs">
        <fieldset>
          <SandboxNumber id="sandbox-revenue" label={t('sandbox.revenueStart')} value={state.revenueStart} onChange={(v) => set({ revenueStart: v })} kind="amount" />
          <SandboxNumber id="sandbox-growth" label={t('sandbox.revenueGrowth')} value={state.growthPct} max={1000} onChange={(v) => set({ growthPct: v })} kind="percent" />
          <SandboxNumber id="sandbox-years" label={t('sandbox.years')} value={state.years} max={100} onChange={(v) => set({ years: v })} kind="whole" />
        </fieldset>
        <fieldset>
          <SandboxNumber id="sandbox-exit-year" label={t('sandbox.exitYear')} value={state.exitYear} max={100} onChange={(v) => set({ exitYear: v })} kind="whole" />
          <SandboxNumber id="sandbox-discount" label={t('sandbox.discount')} value={state.discountPct} max={100} onChange={(v) => set({ discountPct: v })} kind="percent" />
          <SandboxNumber id="sandbox-dilution" label={t('sandbox.dilution')} value={state.dilutionPct} max={100} onChange={(v) => set({ dilutionPct: v })} kind="percent" />
        </fieldset>
        <fieldset>
          <SandboxNumber id="sandbox-equity" label={t('sandbox.equityPct')} value={state.equityPct} max={100} onChange={(v) => set({ equityPct: v })} kind="percent" />
          <SandboxNumber id="sandbox-royalty" label={t('sandbox.royaltyPct')} value={state.royaltyPct} max={100} onChange={(v) => set({ royaltyPct: v })} kind="percent" />
          <SandboxNumber id="sandbox-free" label={t('sandbox.freeMonths')} value={state.freeMonths} max={1200} onChange={(v) => set({ freeMonths: v })} kind="whole" />
        </fieldset>
      </div>
      <ErrorBanner error={valuesError} />
      {values && (
        <>
          <table class="simple-table" id="sandbox-compare">
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col" class="num">{t('sandbox.nominal')}</th>
                <th scope="col" class="num">{t('sandbox.presentValue')}</th>
              </tr>
            </thead>
            <tbody>
              {values.map((v) => (
                <tr>
                  <th scope="row">{t(`sandbox.form.${v.option.form}` as MessageKey)}</th>
                  <td class="num">{i.euros(v.nominalTotal)}</td>
                  <td class="num" id={`pv-${v.option.form}`}>{i.euros(v.presentValue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <figure class="sandbox-chart">
            <figcaption class="muted small">{t('sandbox.compareChart')}</figcaption>
            <svg viewBox={`0 0 134 ${values.length * 24}`} role="img" aria-label={t('sandbox.compareChart')} preserveAspectRatio="none">
              {values.map((v, row) => (
                <g>
                  <text x={0} y={row * 24 + 11} class="chart-text">
                    {t(`sandbox.form.${v.option.form}` as MessageKey)}
                  </text>
                  <rect x={34} y={row * 24} width={(100 * Math.max(0, v.presentValue)) / maxPv} height={14} class={`seg seg-form-${v.option.form}`}>
                    <title>{i.euros(v.presentValue)}</title>
                  </rect>
                </g>
              ))}
            </svg>
          </figure>
        </>
      )}
    </div>
  );
}
