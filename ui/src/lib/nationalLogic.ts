// The National area's logic apart from the screen: values in their unit, each inbox
// file's status in words, the counts of the summary and the peers beside a figure.
import type { BenchmarkFigure, InboxFile, SubmissionUnit } from '../api';
import type { I18n, MessageKey } from '../i18n';

/** A national value in its unit: a count, euros from cents, FTE from hundredths. */
export function unitValue(i: I18n, unit: SubmissionUnit, value: number | null): string {
  if (value === null) return '–';
  switch (unit) {
    case 'eur_cents':
      return i.euros(value);
    case 'fte_hundredths':
      return i.number(value / 100, 2);
    default:
      return i.number(value);
  }
}

/** A normalised value (per €100m or per 1,000 FTE) in the figure's unit, one decimal for counts. */
export function ratioValue(i: I18n, unit: SubmissionUnit, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  switch (unit) {
    case 'eur_cents':
      return i.euros(Math.round(value));
    case 'fte_hundredths':
      return i.number(value / 100, 2);
    default:
      return i.number(Math.round(value * 10) / 10, 1);
  }
}

/** A file's status in the user's language. */
export function fileStatus(i: I18n, f: InboxFile): string {
  if (f.status === 'accepted') return i.t('nat.accepted');
  if (f.status === 'superseded') return i.t('nat.superseded', { file: f.byFile });
  return i.t(`nat.refused.${f.kind}` as MessageKey);
}

/** How many files were accepted, superseded and refused. */
export function inboxCounts(files: InboxFile[]): { files: number; accepted: number; superseded: number; refused: number } {
  const count = (s: InboxFile['status']) => files.filter((f) => f.status === s).length;
  return { files: files.length, accepted: count('accepted'), superseded: count('superseded'), refused: count('refused') };
}

/** The peers' figures for an indicator, newest first, as `ETH Zurich 37 (2024)`. */
export function peerText(i: I18n, figures: BenchmarkFigure[], code: string): string {
  return figures
    .filter((f) => f.indicator === code)
    .sort((a, b) => b.year - a.year || a.peer.localeCompare(b.peer))
    .map((f) => `${f.peer} ${peerValue(i, f)} (${f.period})`)
    .join('; ');
}

/** A peer's value as published: a count, or whole units of its currency. */
export function peerValue(i: I18n, f: BenchmarkFigure): string {
  return f.currency ? `${f.currency} ${i.number(f.value)}` : i.number(f.value);
}

/** The text of a public key file, or an error key when it is not one. */
export function publicKeyText(text: string): string | null {
  const t = text.trim();
  return t.startsWith('untrusted comment:') || /^[A-Za-z0-9+/=]{40,}$/.test(t) ? t : null;
}
