import { describe, expect, it } from 'vitest';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { useLoad } from './useLoad';

describe('useLoad', () => {
  it('drops an answer that arrives after a newer request', async () => {
    const answers: Record<string, (v: string) => void> = {};
    const seen: (string | undefined)[] = [];
    function View(props: { id: string }) {
      const { value } = useLoad(() => new Promise<string>((resolve) => (answers[props.id] = resolve)), [props.id]);
      seen.push(value);
      return null;
    }
    const root = document.createElement('div');
    await act(() => render(h(View, { id: 'a' }), root));
    await act(() => render(h(View, { id: 'b' }), root));
    await act(async () => answers.b?.('record b'));
    await act(async () => answers.a?.('record a, late'));
    expect(seen.at(-1)).toBe('record b');
    expect(seen).not.toContain('record a, late');
  });
});
