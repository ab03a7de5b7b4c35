import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      siteRoot: 'http://localhost:8000',
      pingEndpoint: 'http://localhost:8000/ping/',
      siteName: 'Lookout',
      port: 8000,
      databaseUrl: `sqlite:${path.resolve('data', 'lookout.db')}`,
      pingBodyLimit: 10_000,
      trustedProxies: [],
      secretKey: null,
    });
  });

  it('takes values from the environment', () => {
    const config = loadConfig({
      SITE_ROOT: 'https://lookout.example.org/',
      PING_BODY_LIMIT: 'none',
      TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16',
      DATABASE_URL: 'postgres://u@db/lookout',
    });
    expect(config.siteRoot).toBe('https://lookout.example.org');
    expect(config.pingEndpoint).toBe('https://lookout.example.org/ping/');
    expect(config.pingBodyLimit).toBeNull();
    expect(config.trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16']);
    expect(config.databaseUrl).toBe('postgres://u@db/lookout');
  });

  it.each([
    [{ PORT: '80a' }, 'PORT: must be a whole number, got "80a"'],
    [{ PORT: '70000' }, 'PORT: must be between 0 and 65535, got 70000'],
    [{ SITE_ROOT: 'lookout.example.org' }, 'SITE_ROOT: must be an absolute URL, got "lookout.example.org"'],
    [{ SITE_ROOT: 'ftp://x' }, 'SITE_ROOT: must be an http(s) URL, got "ftp://x"'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must start with sqlite: or postgres://, got "mysql:…"'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY: must be at least 16 characters long'],
    [{ PING_BODY_LIMIT: '-1' }, 'PING_BODY_LIMIT: must be a whole number, got "-1"'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
