import { describe, expect, it } from 'vitest';
import { parsePingPath } from '../../src/core/ping-url.js';

const U = '5b2e6a8d-0f12-4a7e-9c1d-9b1a3c8e2f4d';
const P = 'abcdefghijklmnopqrstuv';

describe('parsePingPath', () => {
  it('reads the UUID forms', () => {
    expect(parsePingPath(`/ping/${U}`)).toEqual({ target: { by: 'uuid', code: U }, action: 'success', exitStatus: null });
    expect(parsePingPath(`/ping/${U}/`)).toMatchObject({ action: 'success' });
    expect(parsePingPath(`/ping/${U}/start`)).toMatchObject({ action: 'start', exitStatus: null });
    expect(parsePingPath(`/ping/${U}/fail`)).toMatchObject({ action: 'fail' });
    expect(parsePingPath(`/ping/${U}/log`)).toMatchObject({ action: 'log' });
  });

  it('turns exit statuses into success or failure and keeps out-of-range ones for later refusal', () => {
    expect(parsePingPath(`/ping/${U}/0`)).toMatchObject({ action: 'success', exitStatus: 0 });
    expect(parsePingPath(`/ping/${U}/7`)).toMatchObject({ action: 'fail', exitStatus: 7 });
    expect(parsePingPath(`/ping/${U}/256`)).toMatchObject({ exitStatus: 256 });
    expect((parsePingPath(`/ping/${U}/${'9'.repeat(40)}`) as { exitStatus: number }).exitStatus).toBeGreaterThan(255);
  });

  it('sends unknown suffixes after a UUID to the slug route with the UUID as ping key', () => {
    expect(parsePingPath(`/ping/${U}/-1`)).toEqual({
      target: { by: 'slug', pingKey: U, slug: '-1' },
      action: 'success',
      exitStatus: null,
    });
  });

  it('reads the slug forms, where two segments always mean a slug', () => {
    expect(parsePingPath(`/ping/${P}/backup`)).toEqual({ target: { by: 'slug', pingKey: P, slug: 'backup' }, action: 'success', exitStatus: null });
    expect(parsePingPath(`/ping/${P}/fail`)).toMatchObject({ target: { slug: 'fail' }, action: 'success' });
    expect(parsePingPath(`/ping/${P}/backup/start`)).toMatchObject({ action: 'start' });
    expect(parsePingPath(`/ping/${P}/backup/3`)).toMatchObject({ action: 'fail', exitStatus: 3 });
  });

  it('rejects uppercase letters in a slug', () => {
    expect(parsePingPath(`/ping/${P}/Backup`)).toEqual({ rejected: 'invalid url format' });
  });

  it('reads short ping codes', () => {
    expect(parsePingPath('/ping/aBcDeFgH')).toEqual({ target: { by: 'ping-code', pingCode: 'aBcDeFgH' }, action: 'success', exitStatus: null });
    expect(parsePingPath('/ping/aBcDeFgH/log')).toMatchObject({ action: 'log' });
    expect(parsePingPath('/ping/aBcDeFgH/other')).toBeNull();
  });

  it.each([
    `/ping/${U.toUpperCase()}`,
    `/ping/${U.replace(/-/g, '')}/`,
    `/ping/${U}/start/`,
    `/ping/${P}/backup/`,
    `/ping/${P}/backup/nope`,
    '/ping/not-uuid/',
    '/ping/',
    '/ping/a%20b/c',
    `/ping/${P}/a/b/c`,
    '/pong/x',
  ])('matches no route for %s', (path) => {
    expect(parsePingPath(path)).toBeNull();
  });
});
