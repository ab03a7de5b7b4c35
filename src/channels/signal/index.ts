// Signal through a signal-cli daemon's JSON-RPC interface: over its socket (SIGNAL_CLI_SOCKET, a
// Unix socket path or host:port) or its HTTP endpoint (SIGNAL_CLI_URL, e.g.
// http://127.0.0.1:8080/api/v1/rpc).
import { connect } from 'node:net';
import { phoneConfig, toggledOff } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, parseJsonBody } from '../http.js';
import { plainMessage } from '../markup.js';
import { settingText } from '../settings.js';
import type { SendEnvironment } from '../types.js';
import { TransportError } from '../types.js';

interface RpcReply {
  id?: unknown;
  error?: { code?: unknown; message?: unknown; data?: { response?: { results?: { type?: unknown }[] } } };
}

/** Sends one JSON-RPC request over the socket and waits for the reply with the same id. */
function callOverSocket(address: string, request: { id: string }, signal: AbortSignal): Promise<RpcReply> {
  const hostPort = /^(.*):(\d+)$/.exec(address);
  return new Promise((resolve, reject) => {
    const socket = hostPort
      ? connect({ host: hostPort[1] as string, port: Number(hostPort[2]) })
      : connect({ path: address });
    let buffered = '';
    const finish = (outcome: () => void) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      outcome();
    };
    const onAbort = () => finish(() => reject(new TransportError('signal-cli call timed out')));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        let reply: RpcReply;
        try {
          reply = JSON.parse(line) as RpcReply;
        } catch {
          return finish(() => reject(new TransportError('signal-cli call failed (unexpected response)')));
        }
        // The daemon also pushes notifications (incoming messages) on the same socket.
        if (reply.id === request.id) return finish(() => resolve(reply));
      }
    });
    socket.on('error', (error) => finish(() => reject(new TransportError(`signal-cli call failed (${error.message})`))));
    socket.on('end', () => finish(() => reject(new TransportError('signal-cli call failed (connection closed)'))));
    if (signal.aborted) onAbort();
  });
}

async function callOverHttp(url: string, request: unknown, env: SendEnvironment): Promise<RpcReply> {
  const response = await deliver(env, 'POST', url, { json: request, trusted: true });
  const reply = parseJsonBody(response);
  if (typeof reply !== 'object' || reply === null) throw new TransportError('signal-cli call failed (unexpected response)');
  return reply as RpcReply;
}

function checkReply(reply: RpcReply): void {
  if (!reply.error) return;
  const results = reply.error.data?.response?.results ?? [];
  if (results.some((r) => r.type === 'UNREGISTERED_FAILURE')) throw new TransportError('Recipient not found', true);
  if (results.some((r) => r.type === 'RATE_LIMIT_FAILURE')) throw new TransportError('Rate limited by Signal');
  throw new TransportError(`signal-cli call failed (${String(reply.error.code)})`);
}

export const signal = defineChannel({
  kind: 'signal',
  label: 'Signal',
  schema: phoneConfig,
  isNoop: toggledOff,
  async send(config, alert, env) {
    const socket = settingText(env.settings, 'SIGNAL_CLI_SOCKET');
    const url = settingText(env.settings, 'SIGNAL_CLI_URL');
    if (!socket && !url) throw new TransportError('Signal notifications are not enabled');
    const request = {
      jsonrpc: '2.0',
      method: 'send',
      params: { recipient: [config.value], message: plainMessage(alert) },
      id: alert.event.notificationId,
    };
    checkReply(socket ? await callOverSocket(socket, request, env.signal) : await callOverHttp(url, request, env));
  },
});
