// Users, projects and API keys: creation, the first-start bootstrap, and key authentication.
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import * as accounts from '../store/accounts.js';
import type { Store } from '../store/database.js';
import type { ProjectRow, UserRow } from '../store/schema.js';
import { getOrCreateSetting } from '../store/settings.js';
import {
  API_KEY_LENGTH,
  apiKeyLookupPrefix,
  constantTimeEqual,
  hashApiKey,
  hashPassword,
  newApiKey,
  newPingKey,
  newSecretKey,
  newUuid,
  randomString,
} from './secrets.js';

export class AccountError extends Error {}

export interface Authenticated {
  project: ProjectRow;
  readOnly: boolean;
}

export interface NewProjectResult {
  project: ProjectRow;
  /** Shown once; only hashes are stored. */
  apiKey: string;
  apiKeyReadOnly: string;
}

export interface BootstrapResult extends NewProjectResult {
  user: UserRow;
  password: string;
}

/** The HMAC key: from SECRET_KEY, or generated once and kept in the database. */
export async function resolveSecretKey(store: Store, config: Config): Promise<string> {
  return config.secretKey ?? getOrCreateSetting(store.db, 'secret_key', newSecretKey());
}

export class Accounts {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
    private readonly secretKey: string,
    private readonly clock: Clock,
  ) {}

  async createUser(email: string, password: string, isAdmin = false): Promise<UserRow> {
    const normalised = email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(normalised)) throw new AccountError(`"${email}" is not an email address`);
    if (password.length < 8) throw new AccountError('the password must be at least 8 characters long');
    if (await accounts.findUserByEmail(this.store.db, normalised)) {
      throw new AccountError(`a user with the email ${normalised} exists already`);
    }
    return accounts.insertUser(this.store.db, {
      email: normalised,
      password_hash: await hashPassword(password),
      is_admin: isAdmin ? 1 : 0,
      check_limit: this.config.defaultCheckLimit,
      ping_log_limit: this.config.pingLogLimit,
      created: this.clock.now(),
    });
  }

  async findUserByEmail(email: string): Promise<UserRow | undefined> {
    return accounts.findUserByEmail(this.store.db, email.trim().toLowerCase());
  }

  /** A project with one read-write and one read-only API key. */
  async createProject(owner: UserRow, name: string): Promise<NewProjectResult> {
    if (name.trim() === '' || name.length > 200) throw new AccountError('a project name must have 1 to 200 characters');
    const project = await accounts.insertProject(this.store.db, {
      code: newUuid(),
      name: name.trim(),
      owner_id: owner.id,
      ping_key: newPingKey(),
      badge_key: newUuid(),
      show_slugs: 0,
      created: this.clock.now(),
    });
    const apiKey = await this.createApiKey(project, false, 'default');
    const apiKeyReadOnly = await this.createApiKey(project, true, 'default read-only');
    return { project, apiKey, apiKeyReadOnly };
  }

  async createApiKey(project: ProjectRow, readOnly: boolean, name: string): Promise<string> {
    const secret = newApiKey(this.secretKey, readOnly);
    await accounts.insertApiKey(this.store.db, {
      project_id: project.id,
      prefix: secret.prefix,
      hash: secret.hash,
      read_only: readOnly ? 1 : 0,
      name: name.slice(0, 100),
      created: this.clock.now(),
      last_used: null,
    });
    return secret.key;
  }

  async findProject(code: string): Promise<ProjectRow | undefined> {
    return accounts.findProjectByCode(this.store.db, code);
  }

  /** The project and mode of an API key, or null for an unknown key. */
  async authenticate(key: string): Promise<Authenticated | null> {
    if (key.length !== API_KEY_LENGTH) return null;
    const hash = hashApiKey(this.secretKey, key);
    const candidates = await accounts.findApiKeysByPrefix(this.store.db, apiKeyLookupPrefix(key));
    const match = candidates.find((row) => constantTimeEqual(row.hash, hash));
    if (!match) return null;
    const project = await accounts.findProjectById(this.store.db, match.project_id);
    return project ? { project, readOnly: match.read_only === 1 } : null;
  }

  /**
   * On the very first start, an admin user and a default project, so that Lookout is usable at
   * once. Returns the credentials to print, or null when the database already has users.
   */
  async bootstrap(adminEmail: string, adminPassword: string | null): Promise<BootstrapResult | null> {
    if ((await accounts.countUsers(this.store.db)) > 0) return null;
    const password = adminPassword ?? randomString(20, 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789');
    const user = await this.createUser(adminEmail, password, true);
    const created = await this.createProject(user, 'Default');
    return { user, password, ...created };
  }
}
