// Learn: a lesson per spin-off term (what, why, a worked example run in the sandbox, a
// self-check with explanations), the NL/EN glossary, and progress kept in the local
// database. The sandbox never touches the office's records. A third tab keeps the reference
// term sets: the shipped ones and the office's own.
import { useEffect, useState } from 'preact/hooks';
import { termsApi, type LessonProgress } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { useI18n, type MessageKey } from '../i18n';
import { ReferenceSets } from './ReferenceSets';
import { DEFAULT_SANDBOX, Sandbox, type SandboxState } from './Sandbox';
import './learn.css';

interface Lesson {
  id: string;
  /** Index of the right option of the self-check (options a0..a2). */
  correct: number;
  /** The worked example: how it sets up the sandbox. */
  example: (s: SandboxState) => SandboxState;
}

const FIRST: Lesson = { id: 'equity', correct: 1, example: () => ({ ...DEFAULT_SANDBOX }) };

export const LESSONS: Lesson[] = [
  FIRST,
  {
    id: 'dilution',
    correct: 1,
    example: () => ({
      ...DEFAULT_SANDBOX,
      rounds: [
        { ...DEFAULT_SANDBOX.rounds[0], poolTargetPct: 0 },
        { ...DEFAULT_SANDBOX.rounds[1], poolTargetPct: 0, antiDilution: 'none' },
      ],
    }),
  },
  {
    id: 'pool',
    correct: 0,
    example: () => ({ ...DEFAULT_SANDBOX, rounds: [{ ...DEFAULT_SANDBOX.rounds[0], poolTargetPct: 15 }, DEFAULT_SANDBOX.rounds[1]] }),
  },
  {
    id: 'antiDilution',
    correct: 1,
    example: () => ({
      ...DEFAULT_SANDBOX,
      rounds: [
        { ...DEFAULT_SANDBOX.rounds[0], poolTargetPct: 0, antiDilution: 'fullRatchet' },
        { ...DEFAULT_SANDBOX.rounds[1], preMoney: 1_500_000, amount: 1_000_000, poolTargetPct: 0, antiDilution: 'none' },
      ],
    }),
  },
  { id: 'royalty', correct: 1, example: () => ({ ...DEFAULT_SANDBOX, tab: 'exitValue' }) },
  { id: 'exit', correct: 1, example: () => ({ ...DEFAULT_SANDBOX, tab: 'exitValue', exitValue: 5_000_000 }) },
  {
    // The worked example of learn.preferences.example, figure for figure.
    id: 'preferences',
    correct: 1,
    example: () => ({
      ...DEFAULT_SANDBOX,
      tab: 'exitValue',
      universityPct: 10,
      poolPct: 10,
      exitValue: 8_000_000,
      rounds: [
        { preMoney: 1_000_000, amount: 1_000_000, poolTargetPct: 0, antiDilution: 'none', multiple: 2, participation: 'nonParticipating', seniority: 0 },
        { preMoney: 6_000_000, amount: 3_000_000, poolTargetPct: 0, antiDilution: 'none', multiple: 1, participation: 'participating', seniority: 1 },
      ],
    }),
  },
];

/** The glossary of KTO terms taught in Learn; keys under learn.gloss.<id>. */
export const GLOSSARY = [
  'valorisation',
  'disclosure',
  'scouting',
  'pps',
  'toeslag',
  'contract',
  'rom',
  'spinoff',
  'loa',
  'priority',
  'termsheet',
  'kvk',
  'trl',
] as const;

const k = (key: string) => key as MessageKey;

export function Learn() {
  const i = useI18n();
  const { t } = i;
  const [page, setPage] = useState<'lessons' | 'glossary' | 'sets'>('lessons');
  const [lessonId, setLessonId] = useState<string>(FIRST.id);
  const [sandbox, setSandbox] = useState<SandboxState>(DEFAULT_SANDBOX);
  const [progress, setProgress] = useState<Record<string, LessonProgress>>({});
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    termsApi
      .getLearningProgress()
      .then((list) => setProgress(Object.fromEntries(list.map((p) => [p.lessonId, p]))))
      .catch(setError);
  }, []);

  const lesson = LESSONS.find((l) => l.id === lessonId) ?? FIRST;
  const mine: LessonProgress = progress[lesson.id] ?? { lessonId: lesson.id, answers: {}, completed: false };
  const save = (next: LessonProgress) => {
    setProgress({ ...progress, [next.lessonId]: next });
    termsApi
      .saveLessonProgress(next)
      .then((saved) => setProgress((p) => ({ ...p, [saved.lessonId]: saved })))
      .catch(setError);
  };
  const done = LESSONS.filter((l) => progress[l.id]?.completed).length;
  const answer = mine.answers.q;
  const base = `learn.${lesson.id}`;

  return (
    <section class="view learn-view" aria-labelledby="learn-title">
      <header class="view-header">
        <h1 id="learn-title">{t('learn.title')}</h1>
        <p class="muted">{t('learn.intro')}</p>
        <p class="small" id="learn-progress">
          {t('learn.progress', { done, total: LESSONS.length })}
        </p>
      </header>
      <ErrorBanner error={error} />
      <div class="tabs" role="tablist">
        {(['lessons', 'glossary', 'sets'] as const).map((p) => (
          <button type="button" role="tab" id={`learn-tab-${p}`} class={`tab ${page === p ? 'active' : ''}`} aria-selected={page === p} onClick={() => setPage(p)}>
            {t(k(`learn.${p}`))}
          </button>
        ))}
      </div>
      {page === 'glossary' ? (
        <Glossary />
      ) : page === 'sets' ? (
        <ReferenceSets />
      ) : (
        <div class="learn-layout">
          <nav class="lesson-list" aria-label={t('learn.lessons')}>
            <ol>
              {LESSONS.map((l) => (
                <li>
                  <button
                    type="button"
                    id={`lesson-${l.id}`}
                    class={`lesson-link ${l.id === lesson.id ? 'active' : ''}`}
                    aria-current={l.id === lesson.id ? 'page' : undefined}
                    onClick={() => {
                      setLessonId(l.id);
                      setSandbox(l.example(sandbox));
                    }}
                  >
                    {t(k(`learn.${l.id}.title`))}
                    {progress[l.id]?.completed && <span class="lesson-done"> ✓</span>}
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <article class="card lesson" id="lesson" aria-labelledby="lesson-title">
            <h2 id="lesson-title">{t(k(`${base}.title`))}</h2>
            <h3>{t('learn.what')}</h3>
            <p>{t(k(`${base}.what`))}</p>
            <h3>{t('learn.why')}</h3>
            <p>{t(k(`${base}.why`))}</p>
            <h3>{t('learn.example')}</h3>
            <p>{t(k(`${base}.example`))}</p>
            <button
              type="button"
              class="button"
              id="lesson-try"
              onClick={() => {
                setSandbox(lesson.example(sandbox));
                document.getElementById('sandbox')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
              }}
            >
              {t('learn.tryIt')}
            </button>
            <fieldset class="self-check" id="self-check">
              <legend>{t('learn.check')}</legend>
              <p>{t(k(`${base}.q`))}</p>
              {[0, 1, 2].map((n) => (
                <label class="check-option">
                  <input
                    type="radio"
                    name={`q-${lesson.id}`}
                    id={`answer-${n}`}
                    checked={answer === n}
                    onChange={() => save({ ...mine, answers: { ...mine.answers, q: n } })}
                  />{' '}
                  {t(k(`${base}.a${n}`))}
                </label>
              ))}
              {answer !== undefined && (
                <p class={`check-feedback ${answer === lesson.correct ? 'right' : 'wrong'}`} id="check-feedback" role="status">
                  <strong>{answer === lesson.correct ? t('learn.correct') : t('learn.wrong')}</strong> {t(k(`${base}.explain`))}
                </p>
              )}
            </fieldset>
            <button
              type="button"
              class="button button-primary"
              id="lesson-done"
              disabled={mine.completed}
              onClick={() => save({ ...mine, completed: true })}
            >
              {mine.completed ? t('learn.done') : t('learn.markDone')}
            </button>
          </article>
          <div class="learn-sandbox">
            <Sandbox state={sandbox} onChange={setSandbox} />
          </div>
        </div>
      )}
    </section>
  );
}

function Glossary() {
  const { t } = useI18n();
  return (
    <div class="card glossary" id="glossary">
      <p class="muted">{t('learn.glossaryIntro')}</p>
      <table class="simple-table">
        <thead>
          <tr>
            <th scope="col">{t('learn.glossaryNl')}</th>
            <th scope="col">{t('learn.glossaryEn')}</th>
          </tr>
        </thead>
        <tbody>
          {GLOSSARY.map((g) => (
            <tr id={`gloss-${g}`}>
              <td>
                <strong lang="nl">{t(k(`learn.gloss.${g}`))}</strong>
                <p lang="nl">{t(k(`learn.gloss.${g}.nlDef`))}</p>
              </td>
              <td>
                <strong lang="en">{t(k(`learn.gloss.${g}.en`))}</strong>
                <p lang="en">{t(k(`learn.gloss.${g}.enDef`))}</p>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
