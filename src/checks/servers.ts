// Servers of a project, as the Cron Checks API registers them (`{"hostname": "cron-01.prod"}`).
import type { Clock } from '../clock.js';
import type { Store } from '../store/database.js';
import type { ProjectRow, ServerRow } from '../store/schema.js';
import { findOrInsertServer, listServers } from '../store/servers.js';
import type { ValidationIssue } from './cron-check-input.js';

export type RegisterServerResult =
  | { outcome: 'created' | 'existing'; server: ServerRow }
  | { outcome: 'invalid'; issues: ValidationIssue[] };

const MAX_HOSTNAME_LENGTH = 253;
// Host names and the short names people give machines: letters, digits, dots, dashes, underscores.
const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?$/;

function hostnameIssues(body: unknown): ValidationIssue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [{ field: 'body', reason: 'must be a JSON object' }];
  const hostname = (body as Record<string, unknown>).hostname;
  if (hostname === undefined) return [{ field: 'hostname', reason: 'is required' }];
  if (typeof hostname !== 'string') return [{ field: 'hostname', reason: 'must be a string' }];
  if (hostname.length === 0 || hostname.length > MAX_HOSTNAME_LENGTH || !HOSTNAME.test(hostname)) {
    return [{ field: 'hostname', reason: `must be a host name of 1-${MAX_HOSTNAME_LENGTH} letters, digits, dots, dashes or underscores` }];
  }
  return [];
}

export class ServerService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async list(project: ProjectRow): Promise<ServerRow[]> {
    return listServers(this.store.db, project.id);
  }

  /** Registers a hostname; registering it again finds the existing server. */
  async register(project: ProjectRow, body: unknown): Promise<RegisterServerResult> {
    const issues = hostnameIssues(body);
    if (issues.length > 0) return { outcome: 'invalid', issues };
    const hostname = (body as { hostname: string }).hostname;
    const { server, created } = await findOrInsertServer(this.store.db, project.id, hostname, this.clock.now());
    return { outcome: created ? 'created' : 'existing', server };
  }
}
