// One delivery attempt: the integration's send, bounded by a timeout even when the integration
// ignores its abort signal, with every failure turned into a TransportError.
import type { OutboundHttp } from '../channels/http.js';
import type { AlertContext, ChannelDefinition } from '../channels/types.js';
import { ChannelConfigError, TransportError } from '../channels/types.js';

/** Kind → definition; src/channels/registry.ts in production, a test's own in tests. */
export interface ChannelRegistry {
  get(kind: string): ChannelDefinition | undefined;
}

export interface SendTools {
  http: OutboundHttp;
  settings: Record<string, string | undefined>;
}

/** A channel's stored configuration: JSON as saved through the API, or a Healthchecks text value. */
export function storedConfig(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The channel's configuration, or a permanent TransportError when it no longer validates. */
export function parseStoredConfig(definition: ChannelDefinition, value: string): unknown {
  try {
    return definition.parseConfig(storedConfig(value));
  } catch (error) {
    if (error instanceof ChannelConfigError) throw new TransportError(`Invalid configuration: ${error.message}`, true);
    throw error;
  }
}

export async function sendWithTimeout(
  definition: ChannelDefinition,
  config: unknown,
  alert: AlertContext,
  tools: SendTools,
  timeoutMs: number,
): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TransportError('Connection timed out'));
    }, timeoutMs);
  });
  try {
    await Promise.race([definition.send(config, alert, { ...tools, signal: controller.signal }), timedOut]);
  } catch (error) {
    if (error instanceof TransportError) throw error;
    // A bug in an integration is a failed attempt, not a crashed worker.
    throw new TransportError(`Unexpected error: ${(error as Error)?.message ?? String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
