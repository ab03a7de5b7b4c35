// Healthchecks' `cors(methods)` wrapper: OPTIONS answers 204, other methods outside the list
// answer 405 with an empty body, and every answer carries the CORS headers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

export function corsResource(app: FastifyInstance, url: string, handlers: Partial<Record<'GET' | 'POST' | 'DELETE', Handler>>): void {
  const allowed = Object.keys(handlers);
  const headers = {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'X-Api-Key',
    'access-control-allow-methods': [...allowed, 'OPTIONS'].join(', '),
    'access-control-max-age': '600',
  };
  app.route({
    method: [...ALL_METHODS],
    url,
    handler: async (request, reply) => {
      reply.headers(headers);
      if (request.method === 'OPTIONS') return reply.code(204).send();
      const handler = handlers[request.method as keyof typeof handlers];
      if (!handler) return reply.code(405).send();
      return handler(request, reply);
    },
  });
}
