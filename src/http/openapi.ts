// The OpenAPI 3.1 document at GET /api/openapi.json, generated from the route schemas. Register it
// before any other plugin so that it sees every route; only routes with tags are documented
// (each surface tags its routes; internal and compatibility-only routes stay out).
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

export interface OpenApiOptions {
  siteRoot: string;
}

// The document describes the API, not a release: its version is the Management API's.
const API_VERSION = '3';

export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lookout API',
        version: API_VERSION,
        description:
          'Healthchecks-compatible Management API (v1, v2, v3) and Lookout’s own endpoints. See docs/api.md for the rules in prose.',
      },
      servers: [{ url: options.siteRoot }],
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'a project’s read-write or read-only API key' },
          bearer: { type: 'http', scheme: 'bearer', description: 'a project’s read-write or read-only API key (Cron Checks API)' },
        },
      },
    },
    hideUntagged: true,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

const serializeAsBefore = (payload: unknown) => JSON.stringify(payload);

/**
 * Makes the route schemas of `app` (a plugin's encapsulated instance) documentation only: they
 * neither validate, coerce nor strip requests, and answers are written with JSON.stringify as
 * they are without a schema. For plugins that check their input by hand to answer errors in
 * their own format.
 */
export function documentOnlySchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => serializeAsBefore);
}
