import { describe, expect, it } from 'vitest';
import { LESSONS } from './Learn';
import { DEFAULT_SANDBOX, planOf, preferenceOf } from './Sandbox';

const names = { founders: 'Founders', university: 'University', pool: 'Pool', seed: 'Seed', seriesA: 'Series A' };

describe('sandbox preference terms', () => {
  it('reads a round without preference inputs as 1× non-participating at rank 0', () => {
    expect(preferenceOf(DEFAULT_SANDBOX.rounds[0])).toEqual({
      multipleBp: 10_000,
      participation: { kind: 'nonParticipating' },
      seniority: 0,
    });
  });

  it('never sends a cap below the preference it includes', () => {
    const round = { ...DEFAULT_SANDBOX.rounds[0], multiple: 2, participation: 'cappedParticipating' as const, capMultiple: 1.5 };
    expect(preferenceOf(round).participation).toEqual({ kind: 'cappedParticipating', capMultipleBp: 20_000 });
  });

  it('sets up the lesson on stacked preferences exactly as its worked example reads', () => {
    const lesson = LESSONS.find((l) => l.id === 'preferences');
    expect(lesson).toBeDefined();
    const state = lesson!.example(DEFAULT_SANDBOX);
    expect(state.exitValue).toBe(8_000_000);
    const plan = planOf(state, names);
    expect(plan.founding.map((a) => a.shares)).toEqual([800_000, 100_000, 100_000]);
    expect(plan.rounds.map((r) => [r.preMoney, r.investments[0]?.amount])).toEqual([
      [100_000_000, 100_000_000],
      [600_000_000, 300_000_000],
    ]);
    expect(plan.rounds[0]?.preference).toEqual({ multipleBp: 20_000, participation: { kind: 'nonParticipating' }, seniority: 0 });
    expect(plan.rounds[1]?.preference).toEqual({ multipleBp: 10_000, participation: { kind: 'participating' }, seniority: 1 });
    expect(plan.rounds.every((r) => r.poolTopUp === null)).toBe(true);
  });
});
