// A small client for the Healthchecks Management API in tests: every answer with its status,
// raw text, parsed JSON (when JSON) and headers.
import { newUuid } from '../../src/accounts/secrets.js';
import { insertChannel } from '../../src/store/channels.js';
import type { ChannelRow } from '../../src/store/schema.js';
import type { TestProject, TestServer } from './server.js';

export interface ApiAnswer {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

export interface ApiClient {
  /** Any request; paths without a leading /api/ get /api/v3 in front. */
  request(method: string, path: string, options?: { key?: string; body?: string | Buffer; headers?: Record<string, string> }): Promise<ApiAnswer>;
  get(path: string, key?: string): Promise<ApiAnswer>;
  post(path: string, body: unknown, key?: string): Promise<ApiAnswer>;
  delete(path: string, key?: string): Promise<ApiAnswer>;
}

export function apiClient(server: TestServer): ApiClient {
  const request: ApiClient['request'] = async (method, path, options = {}) => {
    const url = path.startsWith('/api/') ? path : `/api/v3${path}`;
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers['X-Api-Key'] = options.key;
    const response = await server.fetch(url, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
    const text = await response.text();
    let json: unknown;
    if ((response.headers.get('content-type') ?? '').startsWith('application/json')) json = JSON.parse(text);
    return { status: response.status, text, json, headers: response.headers };
  };
  return {
    request,
    get: (path, key) => request('GET', path, key === undefined ? {} : { key }),
    post: (path, body, key) =>
      request('POST', path, { ...(key === undefined ? {} : { key }), body: typeof body === 'string' ? body : JSON.stringify(body) }),
    delete: (path, key) => request('DELETE', path, key === undefined ? {} : { key }),
  };
}

/** A notification channel written straight to the store (the channels API comes later). */
export async function addChannel(server: TestServer, project: TestProject, fields: { name?: string; kind?: string; code?: string } = {}): Promise<ChannelRow> {
  return insertChannel(server.store.db, {
    code: fields.code ?? newUuid(),
    project_id: project.project.id,
    name: fields.name ?? '',
    kind: fields.kind ?? 'email',
    value: '',
    created: Date.now(),
  });
}
