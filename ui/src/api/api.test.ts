import { describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';
import { api, ApiFailure, toFailure } from '.';
import { failureText } from '../components/ErrorBanner';
import { makeI18n } from '../i18n';

afterEach(() => clearMocks());

describe('backend errors', () => {
  it('become typed failures the UI can branch on', async () => {
    mockIPC(() => {
      throw { kind: 'validation', message: 'bad', fields: [{ field: 'title', code: 'required' }] };
    });
    const err = await api.createDisclosure({} as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect((err as ApiFailure).kind).toBe('validation');
    expect((err as ApiFailure).fields[0]?.field).toBe('title');
  });
  it('are phrased in the user\'s language by their code, else by their own message', () => {
    const { t } = makeI18n('nl');
    const wrong = toFailure({ kind: 'validation', code: 'wrongPassphrase', message: 'wrong passphrase: …', fields: [] });
    expect(failureText(t, wrong)).toContain('Het wachtwoord opent deze ondertekeningssleutel niet');
    // A rule of the whole input with no field to mark says itself, not "correct the marked fields".
    const maths = toFailure({ kind: 'validation', code: 'poolTargetUnreachable', message: 'applying round `Seed` failed: …' });
    expect(failureText(t, maths)).toBe('applying round `Seed` failed: …');
    const marked = toFailure({ kind: 'validation', message: 'x', fields: [{ field: 'title', code: 'required' }] });
    expect(failureText(t, marked)).toBe(t('form.fixFields'));
  });
  it('of an unknown shape count as internal', () => {
    expect(toFailure('boom').kind).toBe('internal');
    expect(toFailure({ kind: 'weird', message: 'x' }).kind).toBe('internal');
  });
});

describe('commands', () => {
  it('send their arguments under the names the backend expects', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return [];
    });
    await api.listPeople('an', 5);
    expect(calls[0]).toEqual(['list_people', { filter: 'an', limit: 5 }]);
  });
});
