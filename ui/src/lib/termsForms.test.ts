import { describe, expect, it } from 'vitest';
import type { CapTablePlan, ReferenceSet } from '../api';
import { capFormOf, copySetForm, dealTermsOfTexts, roundsOfRecords, dealTermsTexts, emptySetForm, parseBound, planOfForm, setFormOf, setOfForm, type CapForm } from './termsForms';

const usit: ReferenceSet = {
  id: 'usit-2023',
  name: 'USIT guide and UK spin-out review',
  source: 'USIT guide, TenU, 2023',
  sourceDate: '2023',
  notes: ['Ranges, not fixed numbers.'],
  ranges: [
    { term: 'universityEquity', appliesTo: 'life and physical sciences', min: 1000, max: 2500, note: '10-25 %', section: '' },
    { term: 'universityEquity', appliesTo: 'less IP-intensive companies', min: null, max: 1000, note: '≤ 10 %', section: '' },
  ],
};

describe('reference set form', () => {
  it('copies a built-in set under a new name and saves it with an office id of its own', () => {
    const form = copySetForm(usit, 'Holding policy', 'nl');
    expect(form.ranges[0]).toMatchObject({ min: '10', max: '25', appliesTo: 'life and physical sciences' });
    form.ranges[0]!.max = '12,5';
    const out = setOfForm(form, 'nl', ['usit-2023', 'office-holding-policy']);
    expect('set' in out).toBe(true);
    if (!('set' in out)) return;
    expect(out.set.id).toBe('office-holding-policy-2');
    expect(out.set.ranges[0]).toEqual({ term: 'universityEquity', appliesTo: 'life and physical sciences', min: 1000, max: 1250, note: '10-25 %', section: '' });
    expect(out.set.ranges[1]).toMatchObject({ min: null, max: 1000 });
    expect(out.set.notes).toEqual(['Ranges, not fixed numbers.']);
  });

  it('keeps the id of a set being edited and reads its bounds back unchanged', () => {
    const own = { ...usit, id: 'office-mine' };
    const out = setOfForm(setFormOf(own, 'en'), 'en', ['office-mine']);
    expect(out).toEqual({ set: own });
  });

  it('names each bad field: empty name, min above max, a percentage outside 0-100, a bad date', () => {
    const form = emptySetForm();
    form.source = 'Board decision';
    form.sourceDate = '2026-13';
    form.ranges = [
      { term: 'royaltyRate', appliesTo: '', min: '5', max: '2', note: '' },
      { term: 'exitFee', appliesTo: '', min: '', max: '120', note: '' },
      { term: 'universityEquity', appliesTo: '', min: '-1', max: '', note: '' },
      { term: 'daysToSigning', appliesTo: '', min: '', max: '90,5', note: '' },
      { term: 'minimumAnnualPayment', appliesTo: '', min: '', max: 'lots', note: '' },
    ];
    const out = setOfForm(form, 'nl', []);
    expect(out).toEqual({
      problems: {
        'set-name': { code: 'required' },
        'set-date': { code: 'badPartialDate' },
        'range-0-max': { code: 'minAboveMax' },
        'range-1-max': { code: 'percentRange' },
        'range-2-min': { code: 'percentRange' },
        'range-3-max': { code: 'notWhole' },
        'range-4-max': { code: 'notAmount' },
      },
    });
  });

  it('reads bounds in the unit of their term', () => {
    expect(parseBound('basisPoints', '7,5 %', 'nl')).toEqual({ value: 750 });
    expect(parseBound('basisPoints', '100', 'en')).toEqual({ value: 10_000 });
    expect(parseBound('basisPoints', '100.01', 'en')).toEqual({ problem: { code: 'percentRange' } });
    expect(parseBound('euroCents', '5.000', 'nl')).toEqual({ value: 500_000 });
    expect(parseBound('months', '-3', 'en')).toEqual({ problem: { code: 'negative' } });
    expect(parseBound('days', '', 'en')).toEqual({ value: null });
  });
});

const filled = (): CapForm => ({
  holders: [
    { id: '', name: 'Founders', kind: 'founder', shares: '800.000' },
    { id: '', name: 'University', kind: 'university', shares: '100000' },
    { id: '', name: 'Option pool', kind: 'optionPool', shares: '100000' },
  ],
  rounds: [
    {
      name: 'Seed',
      date: '01-03-2027',
      preMoney: '2.000.000',
      poolTarget: '10',
      antiDilution: 'broadBasedWeightedAverage',
      investments: [{ investor: 'Delta Seed Fund', amount: '500.000' }],
    },
    {
      name: 'Series A',
      date: '',
      preMoney: '8.000.000',
      poolTarget: '',
      antiDilution: 'none',
      investments: [
        { investor: 'delta seed fund', amount: '1.000.000' },
        { investor: 'Growth Capital', amount: '2.000.000' },
      ],
    },
  ],
});

describe('cap table form', () => {
  it('turns holders and rounds into a plan; a known name invests again, a new one joins', () => {
    const out = planOfForm(filled(), 'nl');
    expect('plan' in out).toBe(true);
    if (!('plan' in out)) return;
    const { plan } = out;
    expect(plan.founding.map((a) => [a.holder.id, a.holder.kind, a.shares])).toEqual([
      ['founders', 'founder', 800_000],
      ['university', 'university', 100_000],
      ['option-pool', 'optionPool', 100_000],
    ]);
    expect(plan.rounds[0]).toEqual({
      name: 'Seed',
      date: '2027-03-01',
      preMoney: 200_000_000,
      newHolders: [{ id: 'delta-seed-fund', name: 'Delta Seed Fund', kind: 'investor' }],
      // Sent whole: the usual weighted-average base, a pool top-up inside the pre-money, a 1× preference.
      investments: [
        {
          investor: 'delta-seed-fund',
          amount: 50_000_000,
          antiDilution: 'broadBasedWeightedAverage',
          weightedAverageBase: 'fullyDiluted',
          roundConversionPrice: false,
        },
      ],
      poolTopUp: { pool: 'option-pool', targetBp: 1000, timing: 'preMoney' },
      preference: { multipleBp: 10_000, participation: { kind: 'nonParticipating' }, seniority: 0 },
    });
    expect(plan.rounds[1]!.newHolders.map((h) => h.id)).toEqual(['growth-capital']);
    expect(plan.rounds[1]!.investments.map((i) => i.investor)).toEqual(['delta-seed-fund', 'growth-capital']);
    expect(plan.rounds[1]!.poolTopUp).toBeNull();
  });

  it('reads a saved plan back into the same form and the same plan', () => {
    const first = planOfForm(filled(), 'nl');
    if (!('plan' in first)) throw new Error('expected a plan');
    const again = planOfForm(capFormOf(first.plan, 'nl'), 'nl');
    expect(again).toEqual(first);
  });

  it('names each bad field: shares not whole or not positive, no pre-money, no investor, a pool target without a pool', () => {
    const form = filled();
    const [founders, university] = form.holders;
    const [seed, seriesA] = form.rounds;
    if (!founders || !university || !seed || !seed.investments[0] || !seriesA) throw new Error('the filled form');
    founders.shares = '12,5';
    university.shares = '0';
    form.holders[2] = { id: '', name: 'Founders', kind: 'founder', shares: '-4' };
    seed.preMoney = '';
    seed.investments[0].amount = '0';
    seriesA.poolTarget = '15';
    seriesA.investments = [];
    const out = planOfForm(form, 'nl');
    expect(out).toEqual({
      problems: {
        'holder-0-shares': { code: 'sharesWhole' },
        'holder-1-shares': { code: 'sharesPositive' },
        'holder-2-name': { code: 'duplicateName' },
        'holder-2-shares': { code: 'sharesPositive' },
        'round-0-pre': { code: 'required' },
        'round-0-inv-0-amount': { code: 'positiveAmount' },
        // The pool row was replaced, so neither round can top a pool up.
        'round-0-pool': { code: 'noPool' },
        'round-1-pool': { code: 'noPool' },
        'round-1-investments': { code: 'noInvestor' },
      },
    });
  });

  it('accepts an empty option pool but not a table without any shares', () => {
    const pool: CapForm = { holders: [{ id: '', name: 'Pool', kind: 'optionPool', shares: '0' }], rounds: [] };
    expect(planOfForm(pool, 'en')).toEqual({ problems: { 'cap-holders': { code: 'noShares' } } });
    pool.holders.push({ id: '', name: 'Ada', kind: 'founder', shares: '1,000' });
    const out = planOfForm(pool, 'en');
    expect('plan' in out && out.plan.founding.map((a) => a.shares)).toEqual([0, 1000]);
  });

  it('keeps the ids of saved holders when names change', () => {
    const plan: CapTablePlan = {
      founding: [{ holder: { id: 'founders', name: 'Founders', kind: 'founder' }, shares: 10 }],
      rounds: [],
    };
    const form = capFormOf(plan, 'en');
    form.holders[0]!.name = 'Ada and Ben';
    const out = planOfForm(form, 'en');
    expect('plan' in out && out.plan.founding[0]!.holder).toEqual({ id: 'founders', name: 'Ada and Ben', kind: 'founder' });
  });
});

describe('a spin-off\'s deal terms as typed', () => {
  it('keeps decimal percentages: 2.5 and 2,5 are 2.5 %, never 25 %', () => {
    for (const lang of ['nl', 'en'] as const) {
      const texts = dealTermsTexts({ milestones: [] }, lang);
      const out = dealTermsOfTexts({ milestones: [] }, { ...texts, royalty: '2,5', equity: '7.25', sublicence: '15', exitFee: '0,5' }, lang);
      expect(out).toMatchObject({ terms: { royaltyRateBp: 250, universityEquityBp: 725, sublicenceShareBp: 1500, exitFeeBp: 50 } });
    }
  });

  it('reports every bad field at once and saves none of them', () => {
    const texts = dealTermsTexts({ milestones: [{ description: 'First sale', amount: 100000 }] }, 'nl');
    const out = dealTermsOfTexts(
      { milestones: [] },
      { ...texts, royalty: '2,5,5', equity: '120', days: '-3', minimum: '10.000', minimumFrom: '', milestones: [{ description: 'x', amount: 'veel', due: '31-02-2027' }] },
      'nl',
    );
    expect('problems' in out && Object.keys(out.problems).sort()).toEqual(['milestone-0-amount', 'milestone-0-due', 'terms-days', 'terms-equity', 'terms-minimum-from', 'terms-royalty']);
  });

  it('reads stored terms back unchanged in both languages', () => {
    const stored = {
      universityEquityBp: 1250,
      royaltyRateBp: 250,
      royaltyFreeMonths: 24,
      minimumAnnualPayment: { amount: 1250000, fromContractYear: 3 },
      patentCosts: { kind: 'fixedAmount' as const, amount: 4250050 },
      daysToSigning: 90,
      milestones: [{ description: 'First sale', amount: 41250000000, due: '2027-01-01' }],
    };
    for (const lang of ['nl', 'en'] as const) {
      const texts = dealTermsTexts(stored, lang);
      expect(texts.milestones[0]!.amount).toBe(lang === 'nl' ? '412.500.000' : '412,500,000');
      expect(dealTermsOfTexts(stored, texts, lang)).toMatchObject({ terms: stored });
    }
  });
});

describe('funding rounds recorded on a spin-off', () => {
  it('become cap-table rounds, oldest first, with their pre-money and amount', () => {
    const rec = (name: string, closedDate: string | null, amount: number, preMoney: number | null, investors: string | null) => ({
      kind: 'fundingRound' as const,
      id: name,
      title: name,
      values: { name, amount, ...(closedDate ? { closedDate } : {}), ...(preMoney !== null ? { preMoney } : {}), ...(investors ? { investors } : {}) },
      linkTitles: {},
      createdAt: '',
      updatedAt: '',
    });
    const rows = roundsOfRecords([rec('Series A', '2026-05-01', 300000000, 900000000, null), rec('Seed', '2025-01-15', 50000000, 200000000, 'Delta Seed Fund')], 'nl', 'Investeerders');
    expect(rows.map((r) => r.name)).toEqual(['Seed', 'Series A']);
    expect(rows[0]).toMatchObject({ date: '15-01-2025', preMoney: '2.000.000', investments: [{ investor: 'Delta Seed Fund', amount: '500.000' }] });
    expect(rows[1]!.investments[0]!.investor).toBe('Investeerders');
  });
});
