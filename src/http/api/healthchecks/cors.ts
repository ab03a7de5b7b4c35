// Healthchecks' `cors(methods)` wrapper: OPTIONS answers 204, other methods outside the list
// answer 405 with an empty body, and every answer carries the CORS headers.
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';

export type Method = 'GET' | 'POST' | 'DELETE';
export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export class CorsResource {
  private readonly headers: Record<string, string>;

  constructor(private readonly handlers: Partial<Record<Method, Handler>>) {
    this.headers = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'X-Api-Key',
      'access-control-allow-methods': [...Object.keys(handlers), 'OPTIONS'].join(', '),
      'access-control-max-age': '600',
    };
  }

  async serve(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    reply.headers(this.headers);
    if (request.method === 'OPTIONS') return reply.code(204).send();
    const handler = this.handlers[request.method as Method];
    if (!handler) return reply.code(405).send();
    return handler(request, reply);
  }
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/**
 * One URL served by one handler whatever the method (the handler answers 405 itself where
 * Healthchecks does). Methods with a schema are documented in OpenAPI; the rest are hidden.
 * The schemas only document: the plugin's validator compiler accepts everything.
 */
export function anyMethodRoute(
  app: FastifyInstance,
  url: string,
  docs: Partial<Record<Method, FastifySchema>>,
  handler: Handler,
): void {
  for (const [method, schema] of Object.entries(docs)) {
    // No automatic HEAD route: HEAD is answered 405 like any method outside the list.
    app.route({ method, url, schema, exposeHeadRoute: false, handler });
  }
  const undocumented = ALL_METHODS.filter((method) => !(method in docs));
  app.route({ method: [...undocumented], url, schema: { hide: true }, handler });
}
