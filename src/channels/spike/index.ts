// Spike.sh incoming webhook.
import { defineJsonWebhookChannel } from '../json-webhook.js';
import { plainMessage } from '../markup.js';
import { headline } from '../text.js';

export const spike = defineJsonWebhookChannel({
  kind: 'spike',
  label: 'Spike',
  setting: 'SPIKE_ENABLED',
  payload: (alert) => ({
    check_id: alert.check.uniqueKey,
    title: headline(alert),
    message: plainMessage(alert),
    status: alert.event.status,
  }),
});
