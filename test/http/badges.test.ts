// Status badges through real HTTP, on both databases (spec §4): signed project and tag badges,
// single-check badges, the three formats, 2- and 3-state, and the exact refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { badgeSignature, badgeUrls, textWidth } from '../../src/core/badge.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { SITE_ROOT, startTestServer } from '../support/server.js';

const SECRET = 'badge-test-secret-0123456789';
const T0 = Date.parse('2026-05-24T03:00:00Z');
const SECOND = 1000;
// Checks made here: due every 60 s, with 60 s of grace.
const DUE = { timeout: 60, grace: 60 };

interface Answer {
  status: number;
  body: string;
  headers: Headers;
}

describe.each(DIALECTS)('badges on %s', (dialect) => {
  let server: TestServer;
  const clock = new ManualClock(T0);

  beforeAll(async () => {
    server = await startTestServer(dialect, { clock, env: { SECRET_KEY: SECRET, SITE_NAME: 'Acme Cron' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function get(path: string, init?: RequestInit): Promise<Answer> {
    const response = await server.fetch(path, init);
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  async function json(path: string): Promise<unknown> {
    const answer = await get(path);
    expect(answer.status).toBe(200);
    return JSON.parse(answer.body);
  }

  /** The badge URLs of a tag, as paths on the test server. */
  function urls(project: TestProject, tag: string) {
    return badgeUrls(project.project, tag, SECRET, '');
  }

  /** A fresh project (so that the clock can move for it alone) and a check maker. */
  async function freshProject(): Promise<TestProject> {
    clock.set(T0);
    return server.newProject();
  }

  async function check(project: TestProject, fields: Record<string, unknown>): Promise<Record<string, any>> {
    return server.createCheck(project, { ...DUE, ...fields });
  }

  async function ping(uuid: string, suffix = ''): Promise<void> {
    expect((await server.fetch(`/ping/${uuid}${suffix}`)).status).toBe(200);
  }

  function checkBadgePath(created: Record<string, any>, states: number, fmt: string): string {
    const key = /\/b\/2\/([0-9a-f-]{36})\.svg$/.exec(created.badge_url as string)?.[1];
    return `/b/${states}/${key}.${fmt}`;
  }

  describe('project and tag badges', () => {
    it('draws the all-checks badge as an SVG labelled with SITE_NAME', async () => {
      const project = await freshProject();
      await ping((await check(project, { name: 'a' })).uuid);
      const answer = await get(urls(project, '*').svg);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('image/svg+xml');
      expect(answer.body).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="(\d+)" height="20"/);
      const width = textWidth('Acme Cron') + 10 + textWidth('up') + 10;
      expect(answer.body).toContain(`width="${width}"`);
      expect(answer.body).toContain('>Acme Cron</text>');
      expect(answer.body).toContain('>up</text>');
      expect(answer.body).toContain('fill="#4c1"');
    });

    it('counts a check in its grace period as late on 3-state badges and up on 2-state ones', async () => {
      const project = await freshProject();
      const late = await check(project, { name: 'late', tags: 'db' });
      const fine = await check(project, { name: 'fine', tags: 'db' });
      await ping(late.uuid);
      clock.advance(61 * SECOND);
      await ping(fine.uuid);
      const db = urls(project, 'db');
      expect(await json(db.json3)).toEqual({ status: 'late', total: 2, grace: 1, down: 0 });
      expect(await json(db.json)).toEqual({ status: 'up', total: 2, grace: 1, down: 0 });
      expect(await json(db.shields3)).toEqual({ schemaVersion: 1, label: 'db', message: 'late', color: 'important' });
      expect(await json(db.shields)).toEqual({ schemaVersion: 1, label: 'db', message: 'up', color: 'success' });
      expect((await get(db.svg3)).body).toContain('fill="#fe7d37"');
      expect((await get(db.svg)).body).toContain('fill="#4c1"');
    });

    it('is down as soon as one check is down, on both kinds, with every check counted', async () => {
      const project = await freshProject();
      const down = await check(project, { name: 'down', tags: 'prod' });
      const late = await check(project, { name: 'late', tags: 'prod' });
      await check(project, { name: 'new', tags: 'prod' });
      await ping(down.uuid);
      clock.advance(61 * SECOND);
      await ping(late.uuid);
      clock.advance(61 * SECOND);
      // down: pinged 122 s ago (> 60 + 60); late: 61 s ago; new: never pinged.
      expect(await json(urls(project, 'prod').json3)).toEqual({ status: 'down', total: 3, grace: 1, down: 1 });
      expect(await json(urls(project, 'prod').json)).toEqual({ status: 'down', total: 3, grace: 1, down: 1 });
      expect(await json(urls(project, 'prod').shields)).toMatchObject({ message: 'down', color: 'critical' });
      expect((await get(urls(project, 'prod').svg)).body).toContain('fill="#e05d44"');
    });

    it('counts new, paused and started checks as up, and a run that outlasts grace as down', async () => {
      const project = await freshProject();
      await check(project, { name: 'new', tags: 'x' });
      const paused = await check(project, { name: 'paused', tags: 'x' });
      const started = await check(project, { name: 'started', tags: 'x' });
      const pause = await server.fetch(`/api/v3/checks/${paused.uuid}/pause`, { method: 'POST', headers: { 'X-Api-Key': project.apiKey } });
      expect(pause.status).toBe(200);
      await ping(started.uuid, '/start');
      expect(await json(urls(project, 'x').json3)).toEqual({ status: 'up', total: 3, grace: 0, down: 0 });
      clock.advance(60 * SECOND);
      expect(await json(urls(project, 'x').json3)).toEqual({ status: 'down', total: 3, grace: 0, down: 1 });
    });

    it('covers only checks that carry the exact tag', async () => {
      const project = await freshProject();
      await check(project, { name: 'one', tags: 'db web' });
      await check(project, { name: 'two', tags: 'dbx' });
      await check(project, { name: 'three', tags: 'web' });
      expect(await json(urls(project, 'db').json)).toMatchObject({ total: 1 });
      expect(await json(urls(project, 'web').json)).toMatchObject({ total: 2 });
      expect(await json(urls(project, '*').json)).toMatchObject({ total: 3 });
    });

    it('is up with nothing counted for a tag no check has', async () => {
      const project = await freshProject();
      expect(await json(urls(project, 'nothing').json3)).toEqual({ status: 'up', total: 0, grace: 0, down: 0 });
      expect(await json(urls(project, '*').json3)).toEqual({ status: 'up', total: 0, grace: 0, down: 0 });
    });

    it('labels a shields badge with its tag, and the all-checks one with SITE_NAME', async () => {
      const project = await freshProject();
      expect(await json(urls(project, 'backups').shields)).toEqual({ schemaVersion: 1, label: 'backups', message: 'up', color: 'success' });
      expect(await json(urls(project, '*').shields3)).toEqual({ schemaVersion: 1, label: 'Acme Cron', message: 'up', color: 'success' });
    });

    it('decodes a tag twice: the generated double-encoded URL works, single-encoded and raw forms do not', async () => {
      const project = await freshProject();
      await check(project, { name: 'a', tags: 'db@dc1' });
      const url = urls(project, 'db@dc1').shields;
      expect(url).toContain('/db%2540dc1.shields');
      expect(await json(url)).toEqual({ schemaVersion: 1, label: 'db@dc1', message: 'up', color: 'success' });
      expect(await json(urls(project, 'db@dc1').json)).toMatchObject({ total: 1 });
      for (const form of ['db%40dc1', 'db@dc1']) {
        const answer = await get(url.replace('db%2540dc1', form));
        expect(answer).toMatchObject({ status: 404, body: 'not found' });
        expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      }
    });

    it('accepts tags with dots, tildes and non-ASCII letters, and takes the last dot for the format', async () => {
      const project = await freshProject();
      await check(project, { name: 'a', tags: 'v1.2~rc über' });
      expect(await json(urls(project, 'v1.2~rc').shields)).toMatchObject({ label: 'v1.2~rc' });
      expect(await json(urls(project, 'über').json)).toMatchObject({ total: 1 });
    });

    it('answers 404 with an empty body for a tampered, foreign or shortened signature', async () => {
      const project = await freshProject();
      const other = await freshProject();
      const key = project.project.badge_key;
      const sig = badgeSignature(key, 'db', SECRET);
      const tampered = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
      const otherTag = badgeSignature(key, 'web', SECRET);
      const otherProject = badgeSignature(other.project.badge_key, 'db', SECRET);
      expect((await get(`/badge/${key}/${sig}/db.json`)).status).toBe(200);
      for (const bad of [tampered, otherTag, otherProject, sig.slice(0, 7), `${tampered}-2`]) {
        const answer = await get(`/badge/${key}/${bad}/db.json`);
        expect(answer).toMatchObject({ status: 404, body: '' });
        // The view answered (not the router): its headers are there.
        expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      }
      // Another project's badge key with this project's signature.
      expect((await get(`/badge/${other.project.badge_key}/${sig}/db.json`)).status).toBe(404);
    });

    it('answers 404 with an empty body for an unknown format or an unknown badge key', async () => {
      const project = await freshProject();
      const valid = urls(project, '*').svg;
      expect(await get(valid.replace(/\.svg$/, '.png'))).toMatchObject({ status: 404, body: '' });
      const unknownKey = 'no-such-badge-key';
      const forged = `/badge/${unknownKey}/${badgeSignature(unknownKey, '*', SECRET)}.json`;
      expect(await get(forged)).toMatchObject({ status: 404, body: '' });
    });

    it('keeps only the first 8 characters of a signature; exactly 8 plus -2 is the 2-state badge', async () => {
      const project = await freshProject();
      const late = await check(project, { name: 'late' });
      await ping(late.uuid);
      clock.advance(61 * SECOND);
      const key = project.project.badge_key;
      const sig = badgeSignature(key, '*', SECRET);
      expect(await json(`/badge/${key}/${sig}-2.json`)).toMatchObject({ status: 'up' });
      expect(await json(`/badge/${key}/${sig}.json`)).toMatchObject({ status: 'late' });
      expect(await json(`/badge/${key}/${sig}-3.json`)).toMatchObject({ status: 'late' });
      expect(await json(`/badge/${key}/${sig}xx-2.json`)).toMatchObject({ status: 'late' });
    });
  });

  describe('single-check badges', () => {
    it('shows the check with its name as label, 2-state unless states is 3', async () => {
      const project = await freshProject();
      const created = await check(project, { name: 'Nightly DB backup' });
      await ping(created.uuid);
      clock.advance(61 * SECOND);
      const svg = await get(checkBadgePath(created, 2, 'svg'));
      expect(svg.status).toBe(200);
      expect(svg.headers.get('content-type')).toBe('image/svg+xml');
      expect(svg.body).toContain('>Nightly DB backup</text>');
      expect(svg.body).toContain('>up</text>');
      expect(await json(checkBadgePath(created, 3, 'json'))).toEqual({ status: 'late', total: 1, grace: 1, down: 0 });
      expect(await json(checkBadgePath(created, 2, 'json'))).toEqual({ status: 'up', total: 1, grace: 1, down: 0 });
      expect(await json(checkBadgePath(created, 1, 'json'))).toMatchObject({ status: 'up' });
      expect(await json(checkBadgePath(created, 3, 'shields'))).toEqual({
        schemaVersion: 1,
        label: 'Nightly DB backup',
        message: 'late',
        color: 'important',
      });
      clock.advance(60 * SECOND);
      expect(await json(checkBadgePath(created, 2, 'json'))).toEqual({ status: 'down', total: 1, grace: 0, down: 1 });
    });

    it('reads states as an integer, so 03 is the 3-state badge', async () => {
      const project = await freshProject();
      const created = await check(project, { name: 'x' });
      await ping(created.uuid);
      clock.advance(61 * SECOND);
      expect(await json(checkBadgePath(created, 3, 'json').replace('/b/3/', '/b/03/'))).toMatchObject({ status: 'late' });
    });

    it('labels a check without a name with its UUID', async () => {
      const project = await freshProject();
      const created = await check(project, {});
      expect(await json(checkBadgePath(created, 2, 'shields'))).toMatchObject({ label: created.uuid });
    });

    it('answers 404 for an unknown key or format, and leaves malformed paths to the router', async () => {
      const project = await freshProject();
      const created = await check(project, { name: 'x' });
      expect(await get('/b/2/6f2a1d3e-0f4b-4c1a-9d2e-000000000000.svg')).toMatchObject({ status: 404, body: '' });
      expect(await get(checkBadgePath(created, 2, 'gif'))).toMatchObject({ status: 404, body: '' });
      expect(await get(checkBadgePath(created, 2, 'svg').toUpperCase().replace('/B/', '/b/').replace('.SVG', '.svg'))).toMatchObject({
        status: 404,
        body: 'not found',
      });
      expect(await get(checkBadgePath(created, 2, 'svg').replace('/b/2/', '/b/two/'))).toMatchObject({ status: 404, body: 'not found' });
    });
  });

  describe('HTTP details', () => {
    it('writes JSON as Healthchecks does, with Python separators and escapes', async () => {
      const project = await freshProject();
      await check(project, { name: 'a', tags: 'über' });
      const answer = await get(urls(project, 'über').shields3);
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(answer.body).toBe('{"schemaVersion": 1, "label": "\\u00fcber", "message": "up", "color": "success"}');
      expect((await get(urls(project, '*').json)).body).toBe('{"status": "up", "total": 1, "grace": 0, "down": 0}');
    });

    it('sends CORS and never-cache headers with a badge', async () => {
      const project = await freshProject();
      const answer = await get(urls(project, '*').json);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
      expect(answer.headers.get('access-control-allow-headers')).toBe('X-Api-Key');
      expect(answer.headers.get('access-control-max-age')).toBe('600');
      expect(answer.headers.get('cache-control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
      expect(answer.headers.get('expires')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    });

    it('answers OPTIONS with 204 and every other method but GET with 405, both empty', async () => {
      const project = await freshProject();
      const created = await check(project, { name: 'x' });
      for (const path of [urls(project, '*').svg, urls(project, 'db').json, checkBadgePath(created, 3, 'svg')]) {
        const options = await get(path, { method: 'OPTIONS' });
        expect(options).toMatchObject({ status: 204, body: '' });
        expect(options.headers.get('access-control-allow-origin')).toBe('*');
        expect(options.headers.get('cache-control')).toContain('no-store');
        for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']) {
          const answer = await get(path, { method });
          expect(answer.status).toBe(405);
          expect(answer.body).toBe('');
          expect(answer.headers.get('access-control-allow-methods')).toBe('GET, OPTIONS');
        }
      }
    });

    it('ignores a query string', async () => {
      const project = await freshProject();
      expect(await json(`${urls(project, '*').json}?cache=bust`)).toMatchObject({ status: 'up' });
    });

    it('serves badges of the URLs in the check JSON (badge_url) from the site root', async () => {
      const project = await freshProject();
      const created = await check(project, { name: 'x' });
      expect(created.badge_url).toMatch(new RegExp(`^${SITE_ROOT}/b/2/[0-9a-f-]{36}\\.svg$`));
    });
  });
});

describe('MASTER_BADGE_LABEL', () => {
  it('labels the all-checks badge instead of SITE_NAME', async () => {
    const server = await startTestServer('sqlite', { env: { SECRET_KEY: SECRET, SITE_NAME: 'Acme', MASTER_BADGE_LABEL: 'All jobs' } });
    try {
      const project = await server.newProject();
      const answer = await server.fetch(badgeUrls(project.project, '*', SECRET, '').shields);
      expect(await answer.json()).toMatchObject({ label: 'All jobs' });
    } finally {
      await server.close();
    }
  });
});
