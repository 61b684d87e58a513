// A spin-off's cap table: holders with their founding shares and the funding rounds after
// it, with the ownership after each round as a table and a chart (the sandbox's). The form
// is controlled by SpinOffTerms, which saves it with the deal terms.
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, termsApi, type AntiDilution, type CapTableSimulation, type HolderKind } from '../api';
import { NumberInput } from '../components/NumberInput';
import { useI18n, type MessageKey } from '../i18n';
import type { NumberKind } from '../lib/parse';
import { OwnershipResult } from './Sandbox';
import { HOLDER_KINDS, planOfForm, type CapForm, type HolderRow, type Problem, type Problems, type RoundRow } from '../lib/termsForms';

const k = (key: string) => key as MessageKey;
const ANTI: AntiDilution[] = ['none', 'broadBasedWeightedAverage', 'fullRatchet'];

/** The message for a field's problem, naming the field. */
export function problemText(t: ReturnType<typeof useI18n>['t'], field: string, problem: Problem): string {
  return t(k(`termsForm.err.${problem.code}`), { field, ...problem.params });
}

function FieldProblem(props: { id: string; label: string; problems: Problems }) {
  const { t } = useI18n();
  const problem = props.problems[props.id];
  if (!problem) return null;
  return (
    <p class="field-error" id={`${props.id}-error`} role="alert">
      {problemText(t, props.label, problem)}
    </p>
  );
}

/** A text or number input in a table cell or a round, labelled and with its problem beneath it. */
function Input(props: {
  id: string;
  label: string;
  value: string;
  problems: Problems;
  hideLabel?: boolean;
  placeholder?: string;
  list?: string;
  /** A number field keeps what is typed and is formatted when left. */
  kind?: NumberKind;
  onInput: (v: string) => void;
}) {
  const invalid = props.id in props.problems;
  return (
    <label class={`field sandbox-field ${invalid ? 'field-invalid' : ''}`}>
      <span class={props.hideLabel ? 'visually-hidden' : undefined}>{props.label}</span>
      {props.kind ? (
        <NumberInput id={props.id} kind={props.kind} text={props.value} placeholder={props.placeholder} invalid={invalid} onText={props.onInput} />
      ) : (
        <input
          id={props.id}
          value={props.value}
          placeholder={props.placeholder}
          list={props.list}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${props.id}-error` : undefined}
          onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
        />
      )}
      <FieldProblem id={props.id} label={props.label} problems={props.problems} />
    </label>
  );
}

export function CapTableEditor(props: {
  form: CapForm;
  problems: Problems;
  onChange: (form: CapForm) => void;
  /** The funding rounds recorded on the spin-off, offered as rounds of the cap table. */
  recordedRounds?: RoundRow[];
}) {
  const i = useI18n();
  const { t } = i;
  const { form, problems } = props;
  const setHolder = (n: number, patch: Partial<HolderRow>) => props.onChange({ ...form, holders: form.holders.map((h, j) => (j === n ? { ...h, ...patch } : h)) });
  const setRound = (r: number, patch: Partial<RoundRow>) => props.onChange({ ...form, rounds: form.rounds.map((x, j) => (j === r ? { ...x, ...patch } : x)) });
  const sharesLabel = t('capTable.shares');
  // Recorded rounds not in the cap table yet (by name), to add in one click.
  const missingRounds = (props.recordedRounds ?? []).filter((r) => !form.rounds.some((x) => x.name.trim().toLowerCase() === r.name.trim().toLowerCase()));
  const names = [...form.holders.map((h) => h.name), ...form.rounds.flatMap((r) => r.investments.map((x) => x.investor))].filter((n) => n.trim() !== '');

  return (
    <section class="cap-editor" id="cap-table-editor" aria-labelledby="cap-title">
      <h3 id="cap-title">{t('capTable.title')}</h3>
      <p class="muted small">{t('capTable.intro')}</p>
      <FieldProblem id="cap-holders" label={t('capTable.holders')} problems={problems} />
      {form.holders.length > 0 && (
        <table class="simple-table cap-holders" id="cap-holders">
          <thead>
            <tr>
              <th scope="col">{t('capTable.holderName')}</th>
              <th scope="col">{t('capTable.kind')}</th>
              <th scope="col">{sharesLabel}</th>
              <th scope="col">
                <span class="visually-hidden">{t('spinTerms.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {form.holders.map((h, n) => (
              <tr>
                <td>
                  <Input id={`holder-${n}-name`} label={t('capTable.holderName')} hideLabel value={h.name} problems={problems} onInput={(v) => setHolder(n, { name: v })} />
                </td>
                <td>
                  <label class="field sandbox-field">
                    <span class="visually-hidden">{t('capTable.kind')}</span>
                    <select id={`holder-${n}-kind`} value={h.kind} onChange={(e) => setHolder(n, { kind: (e.target as HTMLSelectElement).value as HolderKind })}>
                      {HOLDER_KINDS.map((kind) => (
                        <option value={kind}>{t(k(`capTable.kind.${kind}`))}</option>
                      ))}
                    </select>
                  </label>
                </td>
                <td>
                  <Input id={`holder-${n}-shares`} kind="whole" label={sharesLabel} hideLabel value={h.shares} problems={problems} onInput={(v) => setHolder(n, { shares: v })} />
                </td>
                <td>
                  <button type="button" class="button button-quiet" id={`holder-${n}-remove`} onClick={() => props.onChange({ ...form, holders: form.holders.filter((_, j) => j !== n) })}>
                    {t('spinTerms.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="toolbar">
        {form.holders.length === 0 && (
          <button
            type="button"
            class="button"
            id="cap-start"
            onClick={() =>
              props.onChange({
                ...form,
                holders: (['founder', 'university', 'optionPool'] as const).map((kind) => ({ id: '', name: t(k(`capTable.default.${kind}`)), kind, shares: '' })),
              })
            }
          >
            {t('capTable.start')}
          </button>
        )}
        <button type="button" class="button" id="cap-add-holder" onClick={() => props.onChange({ ...form, holders: [...form.holders, { id: '', name: '', kind: 'founder', shares: '' }] })}>
          {t('capTable.addHolder')}
        </button>
      </div>

      <datalist id="cap-holder-names">
        {[...new Set(names)].map((n) => (
          <option value={n} />
        ))}
      </datalist>
      {form.rounds.map((round, r) => (
        <fieldset class="cap-round" id={`round-${r}`}>
          <legend>{round.name.trim() || t('capTable.roundN', { n: r + 1 })}</legend>
          <div class="cap-round-fields">
            <Input id={`round-${r}-name`} label={t('capTable.roundName')} value={round.name} problems={problems} onInput={(v) => setRound(r, { name: v })} />
            <Input id={`round-${r}-date`} label={t('capTable.roundDate')} value={round.date} placeholder={i.lang === 'nl' ? 'dd-mm-jjjj' : 'dd/mm/yyyy'} problems={problems} onInput={(v) => setRound(r, { date: v })} />
            <Input id={`round-${r}-pre`} kind="amount" label={t('sandbox.preMoney')} value={round.preMoney} problems={problems} onInput={(v) => setRound(r, { preMoney: v })} />
            <Input id={`round-${r}-pool`} kind="percent" label={t('sandbox.poolTarget')} value={round.poolTarget} problems={problems} onInput={(v) => setRound(r, { poolTarget: v })} />
            <label class="field sandbox-field">
              <span>{t('capTable.antiDilution')}</span>
              <select id={`round-${r}-anti`} value={round.antiDilution} onChange={(e) => setRound(r, { antiDilution: (e.target as HTMLSelectElement).value as AntiDilution })}>
                {ANTI.map((a) => (
                  <option value={a}>{t(k(`antiDilution.${a}`))}</option>
                ))}
              </select>
            </label>
          </div>
          {round.investments.map((inv, x) => (
            <div class="cap-investment">
              <Input
                id={`round-${r}-inv-${x}-name`}
                label={t('capTable.investor')}
                value={inv.investor}
                list="cap-holder-names"
                problems={problems}
                onInput={(v) => setRound(r, { investments: round.investments.map((y, j) => (j === x ? { ...y, investor: v } : y)) })}
              />
              <Input
                kind="amount"
                id={`round-${r}-inv-${x}-amount`}
                label={t('sandbox.amount')}
                value={inv.amount}
                problems={problems}
                onInput={(v) => setRound(r, { investments: round.investments.map((y, j) => (j === x ? { ...y, amount: v } : y)) })}
              />
              <button type="button" class="button button-quiet" onClick={() => setRound(r, { investments: round.investments.filter((_, j) => j !== x) })}>
                {t('spinTerms.remove')}
              </button>
            </div>
          ))}
          <FieldProblem id={`round-${r}-investments`} label={t('capTable.investor')} problems={problems} />
          <div class="toolbar">
            <button type="button" class="button" id={`round-${r}-add-investor`} onClick={() => setRound(r, { investments: [...round.investments, { investor: '', amount: '' }] })}>
              {t('capTable.addInvestor')}
            </button>
            <button type="button" class="button button-quiet" id={`round-${r}-remove`} onClick={() => props.onChange({ ...form, rounds: form.rounds.filter((_, j) => j !== r) })}>
              {t('capTable.removeRound')}
            </button>
          </div>
        </fieldset>
      ))}
      <button
        type="button"
        class="button"
        id="cap-add-round"
        onClick={() =>
          props.onChange({
            ...form,
            rounds: [...form.rounds, { name: '', date: '', preMoney: '', poolTarget: '', antiDilution: 'none', investments: [{ investor: '', amount: '' }] }],
          })
        }
      >
        {t('capTable.addRound')}
      </button>
      {missingRounds.length > 0 && (
        <button type="button" class="button" id="cap-recorded-rounds" onClick={() => props.onChange({ ...form, rounds: [...form.rounds, ...missingRounds] })}>
          {t('capTable.recordedRounds', { n: missingRounds.length })}
        </button>
      )}
      <CapTableOutcome form={form} />
    </section>
  );
}

/** Ownership after each round of the form, recomputed while the user types; nothing while the form has problems. */
function CapTableOutcome({ form }: { form: CapForm }) {
  const i = useI18n();
  const { t } = i;
  const parsed = planOfForm(form, i.lang);
  const key = 'plan' in parsed && parsed.plan.founding.length > 0 ? JSON.stringify(parsed.plan) : '';
  const [sim, setSim] = useState<CapTableSimulation | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (key === '') {
      setSim(null);
      setFailure(null);
      return;
    }
    let live = true;
    termsApi
      .simulateCapTable(JSON.parse(key))
      .then((s) => {
        if (!live) return;
        setSim(s);
        setFailure(null);
      })
      .catch((e: unknown) => {
        if (!live) return;
        setSim(null);
        setFailure(e instanceof ApiFailure ? e.message : String(e));
      });
    return () => {
      live = false;
    };
  }, [key]);
  if (key === '') return form.holders.length > 0 ? <p class="muted small" id="cap-outcome-pending">{t('capTable.pending')}</p> : null;
  return (
    <div class="sandbox-result" id="cap-outcome">
      <h3>{t('capTable.outcome')}</h3>
      {failure && (
        <div class="banner banner-error" role="alert" id="cap-outcome-error">
          {t('capTable.cannotCompute', { message: failure })}
        </div>
      )}
      {sim && !failure && <OwnershipResult sim={sim} tableId="cap-table-result" cellPrefix="cap-own" chartId="cap-chart" />}
    </div>
  );
}
