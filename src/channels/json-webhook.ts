// Integrations configured by one webhook URL (`{"url": "https://…"}` or the bare URL) that POST a
// JSON document made from the alert: only the document, the switch and how a failure reads differ.
import type { WebhookUrlConfig } from './config-fields.js';
import { webhookUrlConfig } from './config-fields.js';
import { defineChannel } from './define.js';
import type { FailureDetail, OutboundResponse } from './http.js';
import { deliver } from './http.js';
import type { AlertContext, ChannelDefinition } from './types.js';

export interface JsonWebhookSpec {
  kind: string;
  label: string;
  /** The Healthchecks-style <KIND>_ENABLED switch, on by default. */
  setting: string;
  payload(alert: AlertContext): Record<string, unknown>;
  /** What a failed answer means (e.g. that it is permanent); by default the status alone. */
  explain?: (response: OutboundResponse) => FailureDetail | undefined;
}

export function defineJsonWebhookChannel(spec: JsonWebhookSpec): ChannelDefinition<WebhookUrlConfig> {
  return defineChannel({
    kind: spec.kind,
    label: spec.label,
    schema: webhookUrlConfig,
    enabledBy: { setting: spec.setting, default: true },
    async send(config, alert, env) {
      await deliver(env, 'POST', config.url, { json: spec.payload(alert) }, spec.explain);
    },
  });
}
