// Microsoft Teams through a Workflows webhook (the successor of Office 365 connectors).
import { webhookUrlConfig } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver } from '../http.js';
import { teamsWorkflowPayload } from './render.js';

export const msteamsw = defineChannel({
  kind: 'msteamsw',
  label: 'Microsoft Teams',
  schema: webhookUrlConfig,
  enabledBy: { setting: 'MSTEAMS_ENABLED', default: true },
  async send(config, alert, env) {
    // 404: the workflow was deleted.
    await deliver(env, 'POST', config.url, { json: teamsWorkflowPayload(alert) }, (r) => ({ permanent: r.status === 404 }));
  },
});
