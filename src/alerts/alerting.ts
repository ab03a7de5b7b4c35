// Alerting as one piece for the server: the deadline scheduler, the delivery workers it wakes, and
// the channel service the API uses, sharing one set of integrations and outbound HTTP client.
import type { Logger } from 'pino';
import type { OutboundHttp } from '../channels/http.js';
import type { Clock, Sleep } from '../clock.js';
import type { ContextSources } from '../notify/alert-context.js';
import { ChannelService } from '../notify/channel-service.js';
import { DeliveryWorkers } from '../notify/delivery.js';
import type { ChannelRegistry } from '../notify/send.js';
import type { AlertSender } from '../notify/sender.js';
import type { Store } from '../store/database.js';
import { DeadlineScheduler } from './scheduler.js';

export interface AlertingOptions {
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'error'>;
  registry: ChannelRegistry;
  http: OutboundHttp;
  /** Integration settings from the environment. */
  settings: Record<string, string | undefined>;
  context: ContextSources;
  /** Per delivery attempt. */
  attemptTimeoutMs: number;
  /** Where deliveries are sent from; by default the delivery workers' own thread. */
  sender?: AlertSender;
  sleep?: Sleep;
}

export class Alerting {
  readonly scheduler: DeadlineScheduler;
  readonly delivery: DeliveryWorkers;
  readonly channels: ChannelService;

  constructor(store: Store, options: AlertingOptions) {
    const tools = { http: options.http, settings: options.settings };
    const shared = { clock: options.clock, logger: options.logger, ...(options.sleep ? { sleep: options.sleep } : {}) };
    this.delivery = new DeliveryWorkers(store, {
      ...shared,
      registry: options.registry,
      tools,
      context: options.context,
      attemptTimeoutMs: options.attemptTimeoutMs,
      ...(options.sender ? { sender: options.sender } : {}),
    });
    this.scheduler = new DeadlineScheduler(store, { ...shared, onQueued: () => this.delivery.nudge() });
    this.channels = new ChannelService(store, {
      clock: options.clock,
      registry: options.registry,
      tools,
      context: options.context,
      attemptTimeoutMs: options.attemptTimeoutMs,
    });
  }

  start(): void {
    this.scheduler.start();
    this.delivery.start();
  }

  /** Finishes the work in progress: flips being written and notifications being sent. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await this.delivery.stop();
  }
}
