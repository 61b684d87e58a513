// The global search (Ctrl+K): every kind of record at once, grouped by kind, chosen with
// the arrow keys and opened with Enter.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type RecordKind, type SearchHit } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { pipelineLabel } from '../lib/labels';
import { ErrorBanner } from './ErrorBanner';
import { Modal } from './Modal';

const ORDER: RecordKind[] = [
  'disclosure',
  'deal',
  'patent',
  'agreement',
  'consortium',
  'spinOff',
  'scoutingLead',
  'income',
  'cost',
  'contribution',
  'founder',
  'fundingRound',
  'person',
  'organisation',
];

export function SearchPalette(props: { onOpen: (hit: SearchHit) => void; onClose: () => void }) {
  const i = useI18n();
  const { t } = i;
  const [text, setText] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);

  useEffect(() => {
    const gen = ++generation.current;
    if (text.trim().length < 2) {
      setHits([]);
      return;
    }
    const h = setTimeout(() => {
      api
        .searchAll(text)
        .then((found) => {
          if (gen !== generation.current) return;
          setHits([...found].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind)));
          setActive(0);
          setError(null);
        })
        .catch(setError);
    }, 120);
    return () => clearTimeout(h);
  }, [text]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, Math.min(hits.length - 1, a + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      const hit = hits[active];
      if (hit) props.onOpen(hit);
    }
  };

  return (
    <Modal class="palette" label={t('search.open')} onClose={props.onClose} closeOnBackdrop>
        <input
          id="global-search"
          class="search palette-input"
          type="search"
          data-autofocus
          autoComplete="off"
          placeholder={t('search.placeholder')}
          aria-label={t('search.open')}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKey}
        />
        <p class="muted small">{t('search.hint')}</p>
        <ErrorBanner error={error} />
        {text.trim().length >= 2 && hits.length === 0 && !error && <p class="muted">{t('search.none', { query: text })}</p>}
        <div class="palette-results" id="global-results">
          {ORDER.filter((k) => hits.some((h) => h.kind === k)).map((kind) => (
            <section class="palette-group" data-kind={kind}>
              <h3>{t(`rk.${kind}` as MessageKey)}</h3>
              <ul>
                {hits.map((h, n) =>
                  h.kind !== kind ? null : (
                    <li>
                      <button
                        type="button"
                        class={`palette-hit ${n === active ? 'active' : ''}`}
                        onMouseEnter={() => setActive(n)}
                        onClick={() => props.onOpen(h)}
                      >
                        <strong>{h.title}</strong>
                        {h.pipeline && <span class="muted small"> · {pipelineLabel(i, h.pipeline)}</span>}
                        {h.snippet && <span class="muted small palette-snippet">{h.snippet}</span>}
                      </button>
                    </li>
                  ),
                )}
              </ul>
            </section>
          ))}
        </div>
    </Modal>
  );
}
