// The Management API's checks endpoints through real HTTP on both databases (spec §3.4–3.10):
// the check JSON per version and key, create with upsert and quota, update, delete, the channels
// field, every validation message, and Lookout's additions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpPythonJson } from '../../src/http/api/healthchecks/python-json.js';
import type { CheckRow } from '../../src/store/schema.js';
import type { ApiClient } from '../support/api-client.js';
import { addChannel, apiClient } from '../support/api-client.js';
import { DIALECTS } from '../support/databases.js';
import type { TestProject, TestServer } from '../support/server.js';
import { SITE_ROOT, startTestServer } from '../support/server.js';

const HEALTHCHECKS_KEYS = [
  'name', 'slug', 'tags', 'desc', 'grace', 'n_pings', 'status', 'started', 'last_ping', 'next_ping', 'manual_resume',
  'methods', 'subject', 'subject_fail', 'start_kw', 'success_kw', 'failure_kw', 'filter_subject', 'filter_body',
  'filter_http_body', 'filter_default_fail', 'badge_url',
];
const RW_KEYS = ['uuid', 'ping_url', 'update_url', 'pause_url', 'resume_url', 'channels'];
const LOOKOUT_KEYS = ['max_duration', 'alert_on_missed', 'alert_on_fail', 'alert_on_stuck', 'alert_on_long'];

describe.each(DIALECTS)('Management API checks on %s', (dialect) => {
  let server: TestServer;
  let api: ApiClient;
  let project: TestProject;

  beforeAll(async () => {
    server = await startTestServer(dialect);
    api = apiClient(server);
    project = await server.newProject();
  });
  afterAll(async () => {
    await server?.close();
  });

  const checkRow = (code: string): Promise<CheckRow> =>
    server.store.db.selectFrom('checks').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

  async function create(fields: Record<string, unknown>, owner: TestProject = project, version = 3) {
    return api.post(`/api/v${version}/checks/`, fields, owner.apiKey);
  }

  describe('check JSON', () => {
    it('writes a new simple check with every Healthchecks key in order, then Lookout’s, as Python json.dumps does', async () => {
      const res = await create({ name: 'Backups', tags: 'prod www', timeout: 3600, grace: 60 });
      expect(res.status).toBe(201);
      expect(Object.keys(res.json)).toEqual([...HEALTHCHECKS_KEYS, ...RW_KEYS, 'timeout', ...LOOKOUT_KEYS, 'ping_code']);
      const uuid = res.json.uuid as string;
      const row = await checkRow(uuid);
      expect(res.json).toEqual({
        name: 'Backups', slug: '', tags: 'prod www', desc: '', grace: 60, n_pings: 0, status: 'new', started: false,
        last_ping: null, next_ping: null, manual_resume: false, methods: '', subject: '', subject_fail: '',
        start_kw: '', success_kw: '', failure_kw: '', filter_subject: false, filter_body: false,
        filter_http_body: false, filter_default_fail: false, badge_url: `${SITE_ROOT}/b/2/${row.badge_key}.svg`,
        uuid, ping_url: `${SITE_ROOT}/ping/${uuid}`, update_url: `${SITE_ROOT}/api/v3/checks/${uuid}`,
        pause_url: `${SITE_ROOT}/api/v3/checks/${uuid}/pause`, resume_url: `${SITE_ROOT}/api/v3/checks/${uuid}/resume`,
        channels: '', timeout: 3600, max_duration: null, alert_on_missed: true, alert_on_fail: true,
        alert_on_stuck: true, alert_on_long: false, ping_code: row.ping_code,
      });
      expect(res.text.startsWith('{"name": "Backups", "slug": "", "tags": "prod www", "desc": "", "grace": 60, ')).toBe(true);
    });

    it('escapes non-ASCII characters as \\uXXXX', async () => {
      const res = await create({ name: 'Sauvegarde nocturne ✓' });
      expect(res.text).toContain('"name": "Sauvegarde nocturne \\u2713"');
    });

    it('writes exactly what json.dumps would write for the same values, whatever the strings hold', async () => {
      const res = await create({ name: 'say "hi" \\ 😀\u007f', tags: 'a\tb', desc: 'line\nbreak', success_kw: 'é', schedule: '0 0 * * *' });
      expect(res.status).toBe(201);
      expect(res.text).toBe(dumpPythonJson(res.json));
      const ro = await api.get(`/checks/${res.json.uuid}`, project.apiKeyReadOnly);
      expect(ro.text).toBe(dumpPythonJson(ro.json));
    });

    it('shows schedule and tz instead of timeout for a cron check', async () => {
      const res = await create({ schedule: '15 5 * * *', tz: 'Europe/Riga', timeout: 600 });
      expect(res.json.schedule).toBe('15 5 * * *');
      expect(res.json.tz).toBe('Europe/Riga');
      expect(res.json).not.toHaveProperty('timeout');
      expect((await checkRow(res.json.uuid)).kind).toBe('cron');
    });

    it('recognises an OnCalendar schedule', async () => {
      const res = await create({ schedule: '*-*~1 12:00' });
      expect(res.status).toBe(201);
      expect((await checkRow(res.json.uuid)).kind).toBe('oncalendar');
    });

    it('shows read-only keys no UUID, URLs, channels or ping code, but a unique_key', async () => {
      const { uuid } = (await create({ name: 'ro view' })).json;
      const res = await api.get(`/checks/${uuid}`, project.apiKeyReadOnly);
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).toEqual([...HEALTHCHECKS_KEYS, 'unique_key', 'timeout', ...LOOKOUT_KEYS]);
      expect(res.json.unique_key).toMatch(/^[0-9a-f]{40}$/);
    });

    it('shows last_duration in whole seconds once a run completed', async () => {
      const { uuid } = (await create({})).json;
      await server.store.db.updateTable('checks').set({ last_duration: 2_900 }).where('code', '=', uuid).execute();
      expect((await api.get(`/checks/${uuid}`, project.apiKey)).json.last_duration).toBe(2);
    });

    it('puts the request’s API version into the URLs', async () => {
      const { uuid } = (await create({})).json;
      const res = await api.get(`/api/v1/checks/${uuid}`, project.apiKey);
      expect(res.json.update_url).toBe(`${SITE_ROOT}/api/v1/checks/${uuid}`);
    });
  });

  describe('versions', () => {
    it('reports a run in progress as status "started" in v1 only', async () => {
      const { uuid } = (await create({})).json;
      expect((await server.fetch(`/ping/${uuid}/start`)).status).toBe(200);
      const v1 = (await api.get(`/api/v1/checks/${uuid}`, project.apiKey)).json;
      const v2 = (await api.get(`/api/v2/checks/${uuid}`, project.apiKey)).json;
      expect([v1.status, v1.started]).toEqual(['started', true]);
      expect([v2.status, v2.started]).toEqual(['new', true]);
    });

    it.each([1, 2])('derives the slug from the name in v%i, with an explicit slug winning', async (version) => {
      expect((await create({ name: 'Nightly DB Backup!' }, project, version)).json.slug).toBe('nightly-db-backup');
      expect((await create({ name: 'Nightly', slug: 'own' }, project, version)).json.slug).toBe('own');
      const { uuid } = (await create({ name: 'x' }, project, version)).json;
      const updated = await api.post(`/api/v${version}/checks/${uuid}`, { name: 'Renamed Job' }, project.apiKey);
      expect(updated.json.slug).toBe('renamed-job');
    });

    it('never derives the slug in v3', async () => {
      const { uuid, slug } = (await create({ name: 'Nightly DB Backup' })).json;
      expect(slug).toBe('');
      expect((await api.post(`/checks/${uuid}`, { name: 'Other' }, project.apiKey)).json.slug).toBe('');
    });
  });

  describe('list', () => {
    let tagged: TestProject;

    beforeAll(async () => {
      tagged = await server.newProject();
      await create({ name: 'a', slug: 'a', tags: 'prod db' }, tagged);
      await create({ name: 'b', slug: 'b', tags: 'prod' }, tagged);
      await create({ name: 'c', slug: 'a', tags: 'production' }, tagged);
    });

    it('lists the project’s checks', async () => {
      const res = await api.get('/checks/', tagged.apiKey);
      expect(res.status).toBe(200);
      expect(res.json.checks.map((c: { name: string }) => c.name).sort()).toEqual(['a', 'b', 'c']);
    });

    it('keeps only checks carrying every given tag, matched exactly', async () => {
      const names = async (query: string) =>
        (await api.get(`/checks/${query}`, tagged.apiKey)).json.checks.map((c: { name: string }) => c.name).sort();
      expect(await names('?tag=prod')).toEqual(['a', 'b']);
      expect(await names('?tag=prod&tag=db')).toEqual(['a']);
      expect(await names('?tag=pro')).toEqual([]);
    });

    it('filters by exact slug, an empty slug meaning no filter', async () => {
      expect((await api.get('/checks/?slug=a', tagged.apiKey)).json.checks).toHaveLength(2);
      expect((await api.get('/checks/?slug=', tagged.apiKey)).json.checks).toHaveLength(3);
    });

    it('answers without the trailing slash too', async () => {
      expect((await api.get('/checks', tagged.apiKey)).json.checks).toHaveLength(3);
    });

    it('uses the read-only representation for read-only keys', async () => {
      const [first] = (await api.get('/checks/', tagged.apiKeyReadOnly)).json.checks;
      expect(first).toHaveProperty('unique_key');
      expect(first).not.toHaveProperty('uuid');
    });
  });

  describe('get by unique_key', () => {
    it('finds a check of the caller’s project, showing the representation of the key used', async () => {
      const { uuid } = (await create({ name: 'by key' })).json;
      const key = (await api.get(`/checks/${uuid}`, project.apiKeyReadOnly)).json.unique_key;
      expect((await api.get(`/checks/${key}`, project.apiKeyReadOnly)).json).toMatchObject({ name: 'by key', unique_key: key });
      expect((await api.get(`/checks/${key}`, project.apiKey)).json).toMatchObject({ name: 'by key', uuid });
    });

    it('answers 404 with an empty body for an unknown key, and 405 to POST', async () => {
      const res = await api.get(`/checks/${'a'.repeat(40)}`, project.apiKey);
      expect([res.status, res.text]).toEqual([404, '']);
      const post = await api.post(`/checks/${'a'.repeat(40)}`, {}, project.apiKey);
      expect([post.status, post.headers.get('access-control-allow-methods')]).toEqual([405, 'GET, OPTIONS']);
    });

    it('answers 404 {"error": "not found"} for an unknown UUID or a malformed identifier', async () => {
      for (const id of ['6f2a1d3e-0f4b-4c1a-9d2e-000000000000', '6F2A1D3E-0F4B-4C1A-9D2E-000000000000', 'nope']) {
        const res = await api.get(`/checks/${id}`, project.apiKey);
        expect([res.status, res.json]).toEqual([404, { error: 'not found' }]);
      }
    });
  });

  describe('create', () => {
    it('uses Healthchecks’ defaults for omitted fields', async () => {
      const res = await create({});
      expect(res.json).toMatchObject({ name: '', timeout: 86400, grace: 3600, status: 'new', channels: '' });
    });

    it('accepts the key in the JSON body instead of the header', async () => {
      const res = await api.post('/checks/', { api_key: project.apiKey, name: 'body key' });
      expect([res.status, res.json.name]).toEqual([201, 'body key']);
    });

    it('parses the body as JSON whatever the Content-Type', async () => {
      const res = await api.request('POST', '/checks/', {
        key: project.apiKey,
        body: '{"name": "form typed"}',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect([res.status, res.json.name]).toEqual([201, 'form typed']);
    });

    it('maps the legacy subject fields to keywords and subject filtering', async () => {
      const res = await create({ subject: 'SUCCESS', subject_fail: 'ERROR' });
      expect(res.json).toMatchObject({ success_kw: 'SUCCESS', failure_kw: 'ERROR', filter_subject: true, subject: 'SUCCESS', subject_fail: 'ERROR' });
      const explicit = await create({ subject: 'SUCCESS', filter_subject: false });
      expect(explicit.json).toMatchObject({ success_kw: 'SUCCESS', filter_subject: false, subject: '' });
      const cleared = await api.post(`/checks/${res.json.uuid}`, { subject: '', subject_fail: '' }, project.apiKey);
      expect(cleared.json).toMatchObject({ success_kw: '', failure_kw: '', filter_subject: false });
    });

    it('converts legacy time zone names', async () => {
      expect((await create({ schedule: '0 0 * * *', tz: 'Europe/Kiev' })).json.tz).toBe('Europe/Kyiv');
    });

    it('answers 403 with an empty body when the owner has reached the check limit', async () => {
      const owner = await server.newProject();
      await server.store.db.updateTable('users').set({ check_limit: 1 }).where('id', '=', owner.project.owner_id).execute();
      expect((await create({ name: 'one' }, owner)).status).toBe(201);
      const res = await create({ name: 'two' }, owner);
      expect([res.status, res.text]).toEqual([403, '']);
      // An upsert that matches an existing check is an update, allowed over the limit.
      expect((await create({ name: 'one', tags: 'x', unique: ['name'] }, owner)).status).toBe(200);
    });

    it('counts the checks of all the owner’s projects against the limit', async () => {
      const owner = await server.newProject();
      const user = await server.store.db.selectFrom('users').selectAll().where('id', '=', owner.project.owner_id).executeTakeFirstOrThrow();
      await server.store.db.updateTable('users').set({ check_limit: 1 }).where('id', '=', user.id).execute();
      const second = await server.accounts.createProject(user, 'second');
      expect((await create({}, owner)).status).toBe(201);
      expect((await api.post('/checks/', {}, second.apiKey)).status).toBe(403);
    });
  });

  describe('upsert', () => {
    it('updates the oldest check matching every unique field and answers 200', async () => {
      const first = (await create({ name: 'upsert-me', tags: 'a' })).json;
      await create({ name: 'upsert-me', tags: 'b' });
      const res = await create({ name: 'upsert-me', tags: 'c', grace: 120, unique: ['name'] });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ uuid: first.uuid, tags: 'c', grace: 120 });
    });

    it('matches on several fields, timeout and grace as numbers', async () => {
      const made = (await create({ name: 'multi', timeout: 600, grace: 60 })).json;
      expect((await create({ name: 'multi', timeout: 600, grace: 120, unique: ['name', 'timeout'] })).json.uuid).toBe(made.uuid);
      expect((await create({ name: 'multi', timeout: 900, unique: ['name', 'timeout'] })).status).toBe(201);
    });

    it('creates when a field listed in unique is missing from the request', async () => {
      await create({ name: 'listed', slug: 'listed' });
      expect((await create({ name: 'listed', unique: ['name', 'slug'] })).status).toBe(201);
    });

    it('creates when nothing matches, and when unique is empty', async () => {
      expect((await create({ name: 'fresh-one', unique: ['name'] })).status).toBe(201);
      expect((await create({ name: 'fresh-one', unique: [] })).status).toBe(201);
    });

    it('never matches a check of another project', async () => {
      const other = await server.newProject();
      await create({ name: 'shared name' }, other);
      expect((await create({ name: 'shared name', unique: ['name'] })).status).toBe(201);
    });
  });

  describe('channels field', () => {
    let owner: TestProject;
    let email: string;
    let sms: string;

    beforeAll(async () => {
      owner = await server.newProject();
      email = (await addChannel(server, owner, { name: 'Email to Alice', kind: 'email' })).code;
      sms = (await addChannel(server, owner, { name: 'SMS to Alice', kind: 'sms' })).code;
      await addChannel(server, owner, { name: 'Twin', kind: 'email' });
      await addChannel(server, owner, { name: 'Twin', kind: 'slack' });
    });

    const assigned = (res: { json: { channels: string } }) => res.json.channels;

    it('assigns every channel of the project for "*", sorted by UUID', async () => {
      const res = await create({ channels: '*' }, owner);
      expect(res.json.channels.split(',')).toHaveLength(4);
      expect(res.json.channels.split(',')).toEqual([...res.json.channels.split(',')].sort());
    });

    it('assigns channels by UUID and by exact name, duplicates once', async () => {
      expect(assigned(await create({ channels: `${email},SMS to Alice,${email}` }, owner))).toBe([email, sms].sort().join(','));
    });

    it('unassigns everything for "" and leaves channels alone when the field is absent', async () => {
      const { uuid } = (await create({ channels: '*' }, owner)).json;
      expect(assigned(await api.post(`/checks/${uuid}`, { name: 'kept' }, owner.apiKey)).split(',')).toHaveLength(4);
      expect(assigned(await api.post(`/checks/${uuid}`, { channels: '' }, owner.apiKey))).toBe('');
    });

    it.each([
      ['Nobody', 'invalid channel identifier: Nobody'],
      ['Twin', 'non-unique channel identifier: Twin'],
      ['Email to Alice,', 'empty channel identifier'],
      [' Email to Alice', 'invalid channel identifier:  Email to Alice'],
    ])('refuses %j with 400 "%s" and creates nothing', async (channels, message) => {
      const before = (await api.get('/checks/', owner.apiKey)).json.checks.length;
      const res = await create({ name: 'never', channels }, owner);
      expect([res.status, res.json]).toEqual([400, { error: message }]);
      expect((await api.get('/checks/', owner.apiKey)).json.checks).toHaveLength(before);
    });

    it('leaves the check untouched when an update names a bad channel', async () => {
      const made = await create({ name: 'untouched', channels: email }, owner);
      const res = await api.post(`/checks/${made.json.uuid}`, { name: 'changed', channels: 'Nobody' }, owner.apiKey);
      expect(res.status).toBe(400);
      expect((await api.get(`/checks/${made.json.uuid}`, owner.apiKey)).text).toBe(made.text);
    });

    it('lists each check with its own channels, as a check of its own shows them', async () => {
      const lister = await server.newProject();
      const a = (await addChannel(server, lister, { name: 'a', kind: 'email' })).code;
      const b = (await addChannel(server, lister, { name: 'b', kind: 'sms' })).code;
      const made = [];
      for (const channels of ['*', b, '', `${b},${a}`, a, '*']) made.push((await create({ name: `with ${channels}`, channels }, lister)).json);
      const listed = (await api.get('/checks/', lister.apiKey)).json.checks as { uuid: string; channels: string }[];
      expect(listed.map((check) => [check.uuid, check.channels])).toEqual(made.map((check) => [check.uuid, check.channels]));
      expect(listed.map((check) => check.channels)).toEqual([[a, b].sort().join(','), b, '', [a, b].sort().join(','), a, [a, b].sort().join(',')]);
    });

    it('does not find channels of another project', async () => {
      const res = await create({ channels: email }, project);
      expect([res.status, res.json.error]).toEqual([400, `invalid channel identifier: ${email}`]);
    });
  });

  describe('update', () => {
    it('changes only the fields given and answers the check', async () => {
      const made = (await create({ name: 'before', tags: 'keep', desc: 'keep too', timeout: 600 })).json;
      const res = await api.post(`/checks/${made.uuid}`, { name: 'after', grace: 120 }, project.apiKey);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...made, name: 'after', grace: 120 });
    });

    it('switches between simple and cron, the schedule winning over timeout', async () => {
      const { uuid } = (await create({ timeout: 600 })).json;
      const cron = await api.post(`/checks/${uuid}`, { schedule: '*/5 * * * *', timeout: 120 }, project.apiKey);
      expect(cron.json).toMatchObject({ schedule: '*/5 * * * *', tz: 'UTC' });
      const simple = await api.post(`/checks/${uuid}`, { timeout: 300 }, project.apiKey);
      expect(simple.json.timeout).toBe(300);
      expect(simple.json).not.toHaveProperty('schedule');
    });

    it('recomputes when the check goes down (alert_after)', async () => {
      const { uuid } = (await create({})).json;
      await server.fetch(`/ping/${uuid}`);
      const lastPing = (await checkRow(uuid)).last_ping as number;
      await api.post(`/checks/${uuid}`, { timeout: 3600, grace: 60 }, project.apiKey);
      expect((await checkRow(uuid)).alert_after).toBe(lastPing + 3_660_000);
    });

    it('ignores unique on update', async () => {
      const a = (await create({ name: 'ua' })).json;
      const b = (await create({ name: 'ub' })).json;
      const res = await api.post(`/checks/${b.uuid}`, { name: 'ua', unique: ['name'] }, project.apiKey);
      expect([res.status, res.json.uuid]).toEqual([200, b.uuid]);
      expect((await api.get(`/checks/${a.uuid}`, project.apiKey)).json.name).toBe('ua');
    });

    it('leaves the check byte-identical after a validation error', async () => {
      const made = await create({ name: 'stable', tags: 't' });
      const res = await api.post(`/checks/${made.json.uuid}`, { name: 'changed', grace: 5 }, project.apiKey);
      expect([res.status, res.json.error]).toEqual([400, 'json validation error: grace is too small']);
      expect((await api.get(`/checks/${made.json.uuid}`, project.apiKey)).text).toBe(made.text);
    });

    it('answers 404 for a check that does not exist, before validating', async () => {
      const res = await api.post('/checks/6f2a1d3e-0f4b-4c1a-9d2e-000000000000', { grace: 1 }, project.apiKey);
      expect([res.status, res.json]).toEqual([404, { error: 'not found' }]);
    });

    it('keeps what a ping changed meanwhile: only the given columns are written', async () => {
      const { uuid } = (await create({})).json;
      await server.fetch(`/ping/${uuid}`);
      await api.post(`/checks/${uuid}`, { desc: 'edited' }, project.apiKey);
      expect(await checkRow(uuid)).toMatchObject({ status: 'up', n_pings: 1, description: 'edited' });
    });
  });

  describe('delete', () => {
    it('answers the check as it was and removes it with its pings', async () => {
      const made = await create({ name: 'doomed' });
      await server.fetch(`/ping/${made.json.uuid}`);
      const { id } = await checkRow(made.json.uuid);
      const before = await api.get(`/checks/${made.json.uuid}`, project.apiKey);
      const res = await api.delete(`/checks/${made.json.uuid}`, project.apiKey);
      expect([res.status, res.text]).toEqual([200, before.text]);
      expect((await api.get(`/checks/${made.json.uuid}`, project.apiKey)).status).toBe(404);
      expect((await server.fetch(`/ping/${made.json.uuid}`)).status).toBe(404);
      expect(await server.store.db.selectFrom('pings').select('id').where('check_id', '=', id).execute()).toEqual([]);
    });

    it('answers 404 for a check that does not exist', async () => {
      expect((await api.delete('/checks/6f2a1d3e-0f4b-4c1a-9d2e-000000000000', project.apiKey)).status).toBe(404);
    });
  });

  describe('Lookout additions', () => {
    it('accepts max_duration and the alert toggles on create and update', async () => {
      const made = await create({ max_duration: 600, alert_on_missed: false, alert_on_long: true });
      expect(made.json).toMatchObject({ max_duration: 600, alert_on_missed: false, alert_on_fail: true, alert_on_long: true });
      const res = await api.post(`/checks/${made.json.uuid}`, { max_duration: null, alert_on_stuck: false }, project.apiKey);
      expect(res.json).toMatchObject({ max_duration: null, alert_on_stuck: false, alert_on_long: true });
    });

    it('rotates the ping code: the old code stops working at once, the new one works', async () => {
      const made = (await create({})).json;
      expect((await server.fetch(`/ping/${made.ping_code}`)).status).toBe(200);
      const res = await api.post(`/checks/${made.uuid}/ping-code`, '', project.apiKey);
      expect(res.status).toBe(200);
      expect(res.json.ping_code).toMatch(/^[A-Za-z0-9]{8}$/);
      expect(res.json.ping_code).not.toBe(made.ping_code);
      expect((await server.fetch(`/ping/${made.ping_code}`)).status).toBe(404);
      expect((await server.fetch(`/ping/${res.json.ping_code}`)).status).toBe(200);
      expect((await api.get(`/checks/${made.uuid}`, project.apiKey)).json.n_pings).toBe(2);
    });

    it('offers ping code rotation in v3 only', async () => {
      const { uuid } = (await create({})).json;
      expect((await api.post(`/api/v1/checks/${uuid}/ping-code`, '', project.apiKey)).status).toBe(404);
    });
  });

  describe('validation messages (spec §3.6)', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['a name over 100 characters', { name: 'x'.repeat(101) }, 'name is too long'],
      ['a number as name', { name: 5 }, 'name is not a string'],
      ['null as name', { name: null }, 'name is not a string'],
      ['a slug over 100 characters', { slug: 'x'.repeat(101) }, 'slug is too long'],
      ['a slug with capitals', { slug: 'Foo' }, 'slug does not match pattern'],
      ['tags that are not a string', { tags: ['a'] }, 'tags is not a string'],
      ['desc that is not a string', { desc: false }, 'desc is not a string'],
      ['channels that are not a string', { channels: 1 }, 'channels is not a string'],
      ['a timeout below 60', { timeout: 59 }, 'timeout is too small'],
      ['a timeout above a year', { timeout: 31536001 }, 'timeout is too large'],
      ['a timeout as a string', { timeout: '60' }, 'timeout is not a number'],
      ['a fractional timeout', { timeout: 60.5 }, 'timeout is not a number'],
      ['a null timeout', { timeout: null }, 'timeout is not a number'],
      ['true as timeout (1 second)', { timeout: true }, 'timeout is too small'],
      ['a grace below 60', { grace: 0 }, 'grace is too small'],
      ['a grace above a year', { grace: 31536001 }, 'grace is too large'],
      ['a grace as a string', { grace: 'x' }, 'grace is not a number'],
      ['a schedule over 100 characters', { schedule: '*'.repeat(101) }, 'schedule is too long'],
      ['a bad schedule', { schedule: '* * *' }, 'schedule is not a valid cron or OnCalendar expression'],
      ['an unknown time zone', { tz: 'Mars/Base' }, 'tz is not a valid timezone'],
      ['a time zone that is not a string', { tz: 3 }, 'tz is not a string'],
      ['methods other than "" or POST', { methods: 'GET' }, 'methods has unexpected value'],
      ['null methods', { methods: null }, 'methods has unexpected value'],
      ['a non-boolean manual_resume', { manual_resume: 'yes' }, 'manual_resume is not a boolean'],
      ['a non-boolean filter_subject', { filter_subject: 1 }, 'filter_subject is not a boolean'],
      ['a non-boolean filter_body', { filter_body: null }, 'filter_body is not a boolean'],
      ['a non-boolean filter_http_body', { filter_http_body: 'true' }, 'filter_http_body is not a boolean'],
      ['a non-boolean filter_default_fail', { filter_default_fail: 0 }, 'filter_default_fail is not a boolean'],
      ['a start_kw over 200 characters', { start_kw: 'k'.repeat(201) }, 'start_kw is too long'],
      ['a success_kw over 200 characters', { success_kw: 'k'.repeat(201) }, 'success_kw is too long'],
      ['a failure_kw over 200 characters', { failure_kw: 'k'.repeat(201) }, 'failure_kw is too long'],
      ['a subject over 200 characters', { subject: 'k'.repeat(201) }, 'subject is too long'],
      ['a subject_fail over 200 characters', { subject_fail: 'k'.repeat(201) }, 'subject_fail is too long'],
      ['unique that is not a list', { unique: 'name' }, 'unique is not an array'],
      ['null unique', { unique: null }, 'unique is not an array'],
      ['an unknown unique field', { unique: ['name', 'desc'] }, "an item in 'unique' has unexpected value"],
      ['the first error in field order', { tz: 'x', timeout: 1, grace: 1, channels: 5 }, 'channels is not a string'],
      ['grace before timeout', { timeout: 1, grace: 1 }, 'grace is too small'],
      ['a max_duration below 60', { max_duration: 59 }, 'max_duration is too small'],
      ['a max_duration above a year', { max_duration: 31536001 }, 'max_duration is too large'],
      ['true as max_duration', { max_duration: true }, 'max_duration is not a number'],
      ['a non-boolean alert toggle', { alert_on_fail: 'no' }, 'alert_on_fail is not a boolean'],
      ['a NUL character in a string (PostgreSQL cannot store it)', { desc: 'a\u0000b' }, 'desc contains a NUL character'],
      ['Healthchecks errors before Lookout’s', { alert_on_stuck: 1, name: 2 }, 'name is not a string'],
    ];

    it.each(cases)('refuses %s', async (_label, body, message) => {
      const res = await create(body);
      expect([res.status, res.json]).toEqual([400, { error: `json validation error: ${message}` }]);
    });

    it('counts names in characters, not bytes', async () => {
      expect((await create({ name: 'é'.repeat(100) })).status).toBe(201);
    });

    it('answers "too large", never a server error, for an integer too big for any duration', async () => {
      const res = await api.post('/checks/', '{"grace": 100000000000000000000000000000}', project.apiKey);
      expect([res.status, res.json]).toEqual([400, { error: 'json validation error: grace is too large' }]);
    });

    it('refuses 60.0 as timeout: a float is not an integer', async () => {
      const res = await api.post('/checks/', '{"timeout": 60.0}', project.apiKey);
      expect(res.json).toEqual({ error: 'json validation error: timeout is not a number' });
    });

    it('refuses a body that is not JSON, not UTF-8, or not an object', async () => {
      const bad = async (body: string | Buffer) => (await api.request('POST', '/checks/', { key: project.apiKey, body })).json;
      expect(await bad('{"name": ')).toEqual({ error: 'could not parse request body' });
      expect(await bad(Buffer.from([0x7b, 0xff, 0x7d]))).toEqual({ error: 'could not parse request body' });
      expect(await bad('[1, 2]')).toEqual({ error: 'json validation error: value is not an object' });
      expect(await bad('"text"')).toEqual({ error: 'json validation error: value is not an object' });
    });

    it('ignores unknown fields', async () => {
      expect((await create({ name: 'ok', colour: 'blue' })).status).toBe(201);
    });
  });
});
