import { describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';
import { api, ApiFailure, toFailure } from '.';

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
