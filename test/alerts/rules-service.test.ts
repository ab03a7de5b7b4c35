// Changing a check's alert rules on both databases: validation, project scoping, and the deadline
// that follows the rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRulesForbiddenError, AlertRulesInputError, AlertRulesNotFoundError, AlertRulesService, alertRulesJson } from '../../src/alerts/rules-service.js';
import type { Store } from '../../src/store/database.js';
import type { ProjectRow } from '../../src/store/schema.js';
import { DIALECTS, newTestStore } from '../support/databases.js';
import { T0, addCheck, checkById, seedProject } from './support.js';

describe.each(DIALECTS)('alert rules service on %s', (dialect) => {
  let store: Store;
  let project: ProjectRow;
  let rules: AlertRulesService;

  beforeAll(async () => {
    store = await newTestStore(dialect);
    project = await seedProject(store);
    rules = new AlertRulesService(store);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('shows the defaults, which alert as Healthchecks does', async () => {
    const check = await addCheck(store, project);
    expect(alertRulesJson(await rules.get(project, check.code))).toEqual({
      alert_on_missed: true,
      alert_on_fail: true,
      alert_on_stuck: true,
      alert_on_long: false,
      max_duration: null,
      min_duration: null,
      failure_threshold: 1,
      reminder_interval: null,
      flap_threshold: null,
      flap_window: null,
    });
  });

  it('changes rules and moves the deadline of a run that is now stuck sooner', async () => {
    const check = await addCheck(store, project, { status: 'up', last_ping: T0, last_start: T0, grace: 3600, timeout: 86_400, alert_after: T0 + 3_600_000 });
    const updated = await rules.update(project, check.code, { max_duration: 60, alert_on_long: true, failure_threshold: 3, reminder_interval: 3600, flap_threshold: 5, flap_window: 600 });
    expect(alertRulesJson(updated)).toMatchObject({ max_duration: 60, alert_on_long: true, failure_threshold: 3, reminder_interval: 3600, flap_threshold: 5, flap_window: 600 });
    expect(await checkById(store, check.id)).toMatchObject({ max_duration: 60, alert_after: T0 + 60_000 });

    await rules.update(project, check.code, { alert_on_stuck: false, reminder_interval: null });
    expect(await checkById(store, check.id)).toMatchObject({ alert_on_stuck: 0, alert_after: T0 + 3_600_000, reminder_interval: null, next_reminder_at: null });
  });

  it.each([
    [{ failure_threshold: 0 }, 'failure_threshold must be at least 1'],
    [{ failure_threshold: 1.5 }, 'failure_threshold must be a whole number'],
    [{ failure_threshold: null }, 'failure_threshold must be a number'],
    [{ reminder_interval: 30 }, 'reminder_interval must be at least 60'],
    [{ alert_on_fail: 'yes' }, 'alert_on_fail must be true or false'],
    [{ min_duration: 60, max_duration: 30 }, 'min_duration must be less than max_duration'],
    [{ flap_threshold: 3 }, 'flap_threshold and flap_window must be set together'],
    [{ alert_on_long: true }, 'alert_on_long requires max_duration'],
  ])('refuses %j: %s, and changes nothing', async (body, message) => {
    const check = await addCheck(store, project);
    await expect(rules.update(project, check.code, body)).rejects.toThrow(new AlertRulesInputError(message));
    expect(alertRulesJson(await checkById(store, check.id))).toMatchObject({ failure_threshold: 1, max_duration: null, flap_threshold: null });
  });

  it("never touches another project's check", async () => {
    const check = await addCheck(store, await seedProject(store));
    await expect(rules.update(project, check.code, { failure_threshold: 2 })).rejects.toBeInstanceOf(AlertRulesForbiddenError);
    await expect(rules.get(project, '6f2a1d3e-0f4b-4c1a-9d2e-000000000000')).rejects.toBeInstanceOf(AlertRulesNotFoundError);
    expect((await checkById(store, check.id)).failure_threshold).toBe(1);
  });
});
