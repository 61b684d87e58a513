// Types of the spin-off terms commands (src-tauri/src/commands/terms.rs). They mirror the
// serde shapes of kto_core::terms and kto_store's terms module, written by hand because
// those Rust types do not derive ts-rs yet. Percentages are basis points (10000 = 100 %),
// money is integer euro cents, share counts are numbers.

export type DealForm = 'equity' | 'royalty' | 'hybrid';
export type RoyaltyBase = 'netSales' | 'grossSales' | 'grossProfit' | 'totalRevenue';
export type AntiDilution = 'none' | 'fullRatchet' | 'broadBasedWeightedAverage' | 'narrowBasedWeightedAverage';
/** What `A` counts in the broad-based weighted average (kto-core captable docs). */
export type WeightedAverageBase = 'fullyDiluted' | 'fullyDilutedWithTopUp' | 'outstandingAndGrantedOptions';
export type TermKey =
  | 'universityEquity'
  | 'royaltyRate'
  | 'royaltyFreePeriod'
  | 'sublicenceIncomeShare'
  | 'exitFee'
  | 'minimumAnnualPayment'
  | 'daysToSigning';
export type TermUnit = 'basisPoints' | 'months' | 'days' | 'euroCents';

export interface Milestone {
  description: string;
  amount: number;
  due?: string | null;
}
export interface MinimumAnnualPayment {
  amount: number;
  fromContractYear: number;
}
export type PatentCostReimbursement =
  | { kind: 'notReimbursed' }
  | { kind: 'allCosts' }
  | { kind: 'fixedAmount'; amount: number };

export interface DealTerms {
  form?: DealForm | null;
  universityEquityBp?: number | null;
  royaltyRateBp?: number | null;
  royaltyBase?: RoyaltyBase | null;
  royaltyFreeMonths?: number | null;
  sublicenceShareBp?: number | null;
  exitFeeBp?: number | null;
  antiDilution?: AntiDilution | null;
  milestones: Milestone[];
  minimumAnnualPayment?: MinimumAnnualPayment | null;
  patentCosts?: PatentCostReimbursement | null;
  daysToSigning?: number | null;
}

export interface TermRange {
  term: TermKey;
  appliesTo?: string | null;
  min?: number | null;
  max?: number | null;
  note: string;
  /** Where in the source the figure stands (page, section, article). */
  section?: string;
}
export interface ReferenceSet {
  id: string;
  name: string;
  source: string;
  sourceDate?: string | null;
  notes: string[];
  ranges: TermRange[];
}
export interface ReferenceSetEntry {
  set: ReferenceSet;
  shipped: boolean;
}

export type CheckStatus = 'withinRange' | 'outsideRange' | 'notCovered' | 'notSet';
export type ReasonCode = 'inRange' | 'belowMinimum' | 'aboveMaximum' | 'noFiguresInSet' | 'termNotInSet' | 'openInDeal';
export interface TermCheck {
  term: TermKey;
  status: CheckStatus;
  reason: { code: ReasonCode; unit: TermUnit; value: number | null; min: number | null; max: number | null };
  appliesTo: string | null;
  note: string | null;
  /** Where in the source the range stands, when the set names it. */
  section?: string | null;
  setId: string;
  source: string;
}

export type HolderKind = 'founder' | 'university' | 'optionPool' | 'investor';
export interface Holder {
  id: string;
  name: string;
  kind: HolderKind;
}
export interface Allocation {
  holder: Holder;
  shares: number;
}
export interface Investment {
  investor: string;
  amount: number;
  antiDilution: AntiDilution;
  weightedAverageBase?: WeightedAverageBase;
  /** Round an adjusted conversion price to 1/100 of a cent (NVCA). */
  roundConversionPrice?: boolean;
}
export type Participation =
  | { kind: 'nonParticipating' }
  | { kind: 'participating' }
  | { kind: 'cappedParticipating'; capMultipleBp: number };
/** A round's liquidation preference: multiple in basis points (10000 = 1×); higher seniority is paid first. */
export interface PreferenceTerms {
  multipleBp: number;
  participation: Participation;
  seniority: number;
}
export interface Round {
  name: string;
  date?: string | null;
  preMoney: number;
  newHolders: Holder[];
  investments: Investment[];
  poolTopUp?: { pool: string; targetBp: number; timing?: 'preMoney' | 'postMoney' } | null;
  preference?: PreferenceTerms;
  /** Options granted before the round (for the NVCA definition of A). */
  grantedOptions?: number | null;
}
export interface CapTablePlan {
  founding: Allocation[];
  rounds: Round[];
}
export interface Ownership {
  holder: string;
  name: string;
  kind: HolderKind;
  shares: number;
  bp: number;
}
export interface RoundOutcome {
  round: string;
  price: { amount: number; shares: number };
  poolTopUpShares: number;
  issued: { investor: string; amount: number; shares: number }[];
  adjustments: {
    holder: string;
    seriesRound: string;
    rule: AntiDilution;
    invested: number;
    conversionPriceBefore?: ExactPrice;
    conversionPriceAfter?: ExactPrice;
    sharesBefore: number;
    sharesAfter: number;
  }[];
  totalShares: number;
  ownership: Ownership[];
}
export interface CapTableSimulation {
  founding: Ownership[];
  rounds: RoundOutcome[];
}

export interface HolderPayout {
  holder: string;
  name: string;
  kind: HolderKind;
  fromPreference: number;
  fromShares: number;
  total: number;
  /** Share of the exit in basis points, rounded as the cap table rounds ownership. */
  shareBp: number;
}
/** An exact price as a fraction; `cents` is rounded to four decimals for display. */
export interface ExactPrice {
  numerator: string;
  denominator: string;
  cents: string;
}
export interface SeriesPayout {
  round: string;
  holder: string;
  preference: number;
  participation: Participation;
  seniority: number;
  converted: boolean;
  fromPreference: number;
  fromShares: number;
  payout: number;
}
export interface Waterfall {
  exitValue: number;
  pricePerCommonShare: { amount: number; shares: number };
  commonSharePrice?: ExactPrice | null;
  unallocatedPoolShares: number;
  series: SeriesPayout[];
  holders: HolderPayout[];
}
export interface OptionGrant {
  pool: string;
  shares: number;
  /** Exercise price per share, cents. */
  strike: number;
}
export interface ExitTerms {
  optionGrants?: OptionGrant[] | null;
}

export interface Scenario {
  revenueByYear: number[];
  exit?: { year: number; value: number } | null;
  dilutionUntilExitBp: number;
  discountRateBp: number;
}
export interface FormOption {
  form: DealForm;
  equityBp: number;
  royaltyRateBp: number;
  royaltyFreeMonths: number;
  exitFeeBp: number;
}
export interface YearFlow {
  year: number;
  revenue: number;
  royalty: number;
  equityProceeds: number;
  exitFee: number;
  total: number;
  presentValue: number;
}
export interface FormValue {
  option: FormOption;
  flows: YearFlow[];
  nominalTotal: number;
  presentValue: number;
}

export interface SpinOffTerms {
  spinOffId: string;
  terms: DealTerms;
  capTable?: CapTablePlan | null;
  referenceSetId?: string | null;
  updatedAt?: string | null;
}
export interface LessonProgress {
  lessonId: string;
  answers: Record<string, number>;
  completed: boolean;
  updatedAt?: string | null;
}
export interface Exported {
  path: string;
}
