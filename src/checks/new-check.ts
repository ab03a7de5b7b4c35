// A new check with Healthchecks' defaults (simple, period 1 day, grace 1 hour).
import { newPingCode, newUuid } from '../accounts/secrets.js';
import type { NewCheck } from '../store/schema.js';

export function newCheckRow(projectId: number, now: number, fields: Partial<NewCheck> = {}): NewCheck {
  return {
    code: newUuid(),
    badge_key: newUuid(),
    ping_code: newPingCode(),
    project_id: projectId,
    created: now,
    ...fields,
  };
}
