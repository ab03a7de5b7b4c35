// The check list is written straight into bytes (CheckRenderer into PythonJsonListWriter, from rows
// read with packed flags and channel bit masks), while single checks go through checkJson and
// dumpPythonJson. These tests hold the two to the same bytes, so that the fast path cannot drift:
// first for made-up rows of every kind, then through HTTP on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUuid } from '../../src/accounts/secrets.js';
import { ManualClock } from '../../src/clock.js';
import type { ApiVersion, RenderContext } from '../../src/http/api/healthchecks/check-json.js';
import { CheckRenderer, checkJson, isoSeconds } from '../../src/http/api/healthchecks/check-json.js';
import { PythonJsonListWriter, dumpPythonJsonBytes } from '../../src/http/api/healthchecks/python-json.js';
import type { CheckView } from '../../src/store/checks.js';
import type { ChannelRow, Flag } from '../../src/store/schema.js';
import type { ApiClient } from '../support/api-client.js';
import { addChannel, apiClient } from '../support/api-client.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { startTestServer } from '../support/server.js';

const NOW = Date.UTC(2026, 4, 17, 12, 30, 45, 678);
const MINUTE = 60_000;
const VERSIONS: ApiVersion[] = [1, 2, 3];
const FLAGS = [
  'filter_subject', 'filter_body', 'filter_http_body', 'filter_default_fail', 'manual_resume',
  'alert_on_missed', 'alert_on_fail', 'alert_on_stuck', 'alert_on_long',
] as const;
const KEYS = [
  ['read-write', false],
  ['read-only', true],
] as const;

function listBytes(rows: { check: CheckView; channels: string[] }[], ctx: RenderContext): Buffer {
  const renderer = new CheckRenderer(ctx);
  const writer = new PythonJsonListWriter('checks');
  for (const { check, channels } of rows) {
    renderer.members(check, channels, writer);
    writer.endItem();
  }
  return writer.finish();
}

describe('the check list writer', () => {
  let ids = 0;
  const row = (fields: Partial<CheckView> = {}): CheckView => ({
    id: ++ids, code: newUuid(), name: `check ${ids}`, slug: `check-${ids}`, tags: 'prod db', description: '', kind: 'simple',
    timeout: 86_400, grace: 3_600, schedule: '* * * * *', tz: 'UTC', filter_subject: 0, filter_body: 0, filter_http_body: 0,
    filter_default_fail: 0, start_kw: '', success_kw: '', failure_kw: '', methods: '', manual_resume: 0, badge_key: newUuid(),
    ping_code: 'aB3dE5gH', n_pings: 0, last_ping: null, last_start: null, last_duration: null, status: 'new', max_duration: null,
    alert_on_missed: 1, alert_on_fail: 1, alert_on_stuck: 1, alert_on_long: 0, ...fields,
  });
  const channels = [newUuid(), newUuid(), newUuid()].sort();
  const rows = [
    { check: row(), channels: [] },
    { check: row({ name: 'Sauvegarde nocturne ✓ 日本 😀', tags: 'é ü', description: 'ligne\nsuivante' }), channels },
    { check: row({ name: 'say "hi" \\ back\\slash', slug: 'q"s', success_kw: 'ok"', failure_kw: '\\fail' }), channels: channels.slice(1) },
    { check: row({ name: '\u0000\u0001\u001f\u007f\b\f\n\r\t', description: '\u2028\u2029' }), channels: channels.slice(0, 1) },
    { check: row({ name: 'lone \ud83d surrogate \ude00 and pair \ud83d\ude00', methods: 'POST' }), channels },
    { check: row({ kind: 'cron', schedule: '*/15 * * * *', tz: 'Europe/Riga', status: 'up', last_ping: NOW - 20 * MINUTE, n_pings: 7 }), channels },
    { check: row({ kind: 'cron', schedule: '0 3 * * 1', tz: 'America/New_York', status: 'up', last_ping: NOW - 9 * 86_400_000 }), channels: [] },
    { check: row({ kind: 'oncalendar', schedule: '*-*-* 12:00', tz: 'UTC', status: 'up', last_ping: NOW - 3 * MINUTE }), channels: [] },
    { check: row({ status: 'up', last_ping: NOW - 90_000_000, timeout: 86_400, grace: 7_200 }), channels },
    { check: row({ status: 'up', last_ping: NOW - 2 * 86_400_000 }), channels },
    { check: row({ status: 'down', last_ping: NOW - 5 * 86_400_000, last_duration: 2_900, n_pings: 123_456_789 }), channels },
    { check: row({ status: 'paused', last_ping: NOW - MINUTE, last_duration: 999, manual_resume: 1 }), channels },
    { check: row({ status: 'up', last_ping: NOW - MINUTE, last_start: NOW - 30_000, max_duration: 600, last_duration: 0 }), channels },
    { check: row({ status: 'up', last_ping: NOW - MINUTE, last_start: NOW - 2 * 3_600_000, max_duration: 60, alert_on_stuck: 0 }), channels },
    { check: row({ status: 'new', last_start: NOW - 10_000 }), channels },
    {
      check: row({
        filter_subject: 1, filter_body: 1, filter_http_body: 1, filter_default_fail: 1, start_kw: 'begin', success_kw: 'SUCCESS',
        failure_kw: 'ERROR', alert_on_missed: 0, alert_on_fail: 0, alert_on_long: 1, max_duration: 86_400, timeout: 31_536_000, grace: 60,
      }),
      channels,
    },
    // Flags are 0 or 1; anything else reads as off, as `=== 1` has it.
    { check: row({ filter_body: 2 as Flag, alert_on_missed: 2 as Flag }), channels: [] },
    { check: row({ last_ping: 0, status: 'up', last_duration: 1 }), channels: [] },
  ];

  it.each(VERSIONS.flatMap((version) => KEYS.map(([label, readOnly]) => [version, label, readOnly] as const)))(
    'writes v%i for a %s key exactly as dumpPythonJson writes the checkJson objects',
    (version, _label, readOnly) => {
      const ctx = { siteRoot: 'https://hc.example.org', pingEndpoint: 'https://hc.example.org/ping/', version, readOnly, now: NOW };
      const expected = dumpPythonJsonBytes({ checks: rows.map(({ check, channels: codes }) => checkJson(check, codes, ctx)) });
      expect(listBytes(rows, ctx).toString('latin1')).toBe(expected.toString('latin1'));
    },
  );

  it('writes an empty list as dumpPythonJson does', () => {
    const ctx = { siteRoot: '', pingEndpoint: '/ping/', version: 3 as const, readOnly: false, now: NOW };
    expect(listBytes([], ctx).toString('latin1')).toBe('{"checks": []}');
  });

  it('agrees with dumpPythonJson on random text in every string and URL', () => {
    let state = 7;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const text = () =>
      Array.from({ length: Math.floor(random() * 10) }, () => {
        const pick = random();
        // Mostly printable ASCII, as real names are, with every other kind of character mixed in.
        if (pick < 0.6) return String.fromCharCode(0x20 + Math.floor(random() * 0x5f));
        if (pick < 0.7) return String.fromCharCode(Math.floor(random() * 0x20));
        if (pick < 0.8) return ['"', '\\', '\u007f'][Math.floor(random() * 3)];
        return String.fromCharCode(0x80 + Math.floor(random() * 0xff80));
      }).join('');
    const randomRows = Array.from({ length: 300 }, () => ({
      check: row({ name: text(), slug: text(), tags: text(), description: text(), methods: text(), start_kw: text(), success_kw: text(),
        failure_kw: text(), code: text(), badge_key: text(), ping_code: text(), filter_subject: random() < 0.5 ? 1 : 0 }),
      channels: [text(), text()],
    }));
    for (const version of VERSIONS) {
      const ctx = { siteRoot: `https://${text()}`, pingEndpoint: text(), version, readOnly: false, now: NOW };
      const expected = dumpPythonJsonBytes({ checks: randomRows.map(({ check, channels: codes }) => checkJson(check, codes, ctx)) });
      expect(listBytes(randomRows, ctx).equals(expected)).toBe(true);
    }
  });
});

describe('isoSeconds', () => {
  const byDate = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

  it('writes every day’s first and last second from 1970 to 2200 as Date does', () => {
    for (let day = 0; day < 84_000; day++) {
      for (const ms of [day * 86_400_000, day * 86_400_000 + 86_399_999]) if (isoSeconds(ms) !== byDate(ms)) expect(isoSeconds(ms)).toBe(byDate(ms));
    }
  });

  it('writes random instants up to the year 9999 as Date does', () => {
    let state = 11;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 100_000; i++) {
      const ms = Math.floor(random() * random() * 253_402_300_800_000);
      if (isoSeconds(ms) !== byDate(ms)) expect(isoSeconds(ms)).toBe(byDate(ms));
    }
  });

  it.each([0, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, -1, -86_400_001, -8.64e15, 1.5, -0.5])('writes %s as Date does', (ms) => {
    expect(isoSeconds(ms)).toBe(byDate(ms));
  });

  it('writes null for no instant', () => {
    expect(isoSeconds(null)).toBeNull();
  });
});

describe.each(DIALECTS)('GET /checks/ on %s', (dialect) => {
  let server: TestServer;
  let api: ApiClient;
  let project: TestProject;
  const clock = new ManualClock(NOW);
  const codes: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(dialect, { clock });
    api = apiClient(server);
    project = await server.newProject();
    // 40 channels: more than one bit mask's worth (31), so that a check's channels span two.
    const channels: ChannelRow[] = [];
    for (let i = 0; i < 40; i++) channels.push(await addChannel(server, project, { name: `channel ${i}` }));
    const create = async (fields: Record<string, unknown>) => (await api.post('/checks/', fields, project.apiKey)).json.uuid as string;
    codes.push(
      await create({ name: 'plain', tags: 'prod' }),
      await create({ name: 'Sauvegarde ✓ 日本 😀', tags: 'é', desc: 'say "hi" \\ \u0001\u007f', schedule: '*/5 * * * *', tz: 'Europe/Riga' }),
      await create({ name: 'filters', subject: 'OK', subject_fail: 'FAIL', methods: 'POST', manual_resume: true, schedule: '*-*-* 12:00' }),
      await create({ name: 'durations', timeout: 600, grace: 120 }),
      await create({ name: 'all channels', channels: '*' }),
      await create({ name: 'stuck' }),
    );
    const update = (code: string, fields: Record<string, unknown>) => server.store.db.updateTable('checks').set(fields).where('code', '=', code).execute();
    // Every flag on in a different set of checks (flag k where bit i of k + 1 is set, for check i),
    // so that no two flags could be mixed up unnoticed.
    for (const [i, code] of codes.entries()) await update(code, Object.fromEntries(FLAGS.map((flag, k) => [flag, ((k + 1) >> i) & 1])));
    await update(codes[1]!, { status: 'up', last_ping: NOW - 7 * MINUTE, n_pings: 3 });
    await update(codes[2]!, { status: 'up', last_ping: NOW - 2 * 86_400_000 });
    await update(codes[3]!, { status: 'up', last_ping: NOW - 11 * MINUTE, last_duration: 2_900, max_duration: 3_600 });
    // Flags are 0 or 1; anything else reads as off, as `=== 1` has it.
    await update(codes[5]!, { status: 'up', last_ping: NOW - MINUTE, last_start: NOW - 2 * 3_600_000, max_duration: 60, filter_default_fail: 2 });
    // The first check has channels from both masks, the second from the second mask only.
    const assign = (code: string, picked: number[]) =>
      server.store.db
        .insertInto('check_channels')
        .values(picked.map((i) => ({ check_id: server.store.db.selectFrom('checks').select('id').where('code', '=', code), channel_id: channels[i]!.id })))
        .execute();
    await assign(codes[0]!, [0, 5, 30, 31, 39]);
    await assign(codes[1]!, [35]);
    await assign(codes[3]!, [2]);
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(VERSIONS.flatMap((version) => KEYS.map(([label, readOnly]) => [version, label, readOnly] as const)))(
    'lists in v%i for a %s key exactly the bytes of each check’s own answer',
    async (version, _label, readOnly) => {
      const key = readOnly ? project.apiKeyReadOnly : project.apiKey;
      const singles = [];
      for (const code of codes) singles.push((await api.get(`/api/v${version}/checks/${code}`, key)).text);
      const list = await api.get(`/api/v${version}/checks/`, key);
      expect(list.status).toBe(200);
      expect(list.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(list.text).toBe(`{"checks": [${singles.join(', ')}]}`);
    },
  );

  it('shows each check its own channels across both masks, sorted', async () => {
    const list = (await api.get('/checks/', project.apiKey)).json.checks as { name: string; channels: string }[];
    const count = (name: string) => list.find((check) => check.name === name)?.channels.split(',').filter(Boolean).length;
    expect([count('plain'), count('Sauvegarde ✓ 日本 😀'), count('filters'), count('durations'), count('all channels')]).toEqual([5, 1, 0, 1, 40]);
    for (const check of list) expect(check.channels.split(',')).toEqual(check.channels.split(',').sort());
  });
});
