// GitHub issues, as a GitHub App installation or with a token.
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { github } from '../../src/channels/github/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { MARKDOWN_DOWN, downAlert, expectTransportError, useStandIn } from './fixtures.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function verifiedJwtClaims(authorization: string | undefined): Record<string, unknown> {
  const [header, payload, signature] = (authorization ?? '').replace(/^Bearer /, '').split('.');
  const valid = createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature ?? '', 'base64url'));
  expect(valid).toBe(true);
  expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
}

describe('github', () => {
  const stand = useStandIn({ reply: { status: 201, body: { number: 1 } } });
  const settings = () => ({ GITHUB_APP_ID: '4242', GITHUB_PRIVATE_KEY: PEM.replace(/\n/g, '\\n'), GITHUB_API_URL: stand.server.url });
  const appConfig = () => github.parseConfig({ repo: 'acme/ops', labels: ['cron', 'alert'], installation_id: 77 });

  it('opens an issue as the app installation for a down alert', async () => {
    stand.server.replyOnce({ status: 201, body: { token: 'ghs_installation', expires_at: '2030-01-01T00:00:00Z' } });
    await github.send(appConfig(), downAlert(), stand.env(settings()));
    const [tokenRequest, issueRequest] = stand.server.requests;
    expect(tokenRequest).toMatchObject({ method: 'POST', path: '/app/installations/77/access_tokens', body: '' });
    const claims = verifiedJwtClaims(tokenRequest?.headers.authorization);
    expect(claims.iss).toBe('4242');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    expect(issueRequest).toMatchObject({ method: 'POST', path: '/repos/acme/ops/issues' });
    expect(issueRequest?.headers).toMatchObject({
      authorization: 'Bearer ghs_installation',
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    });
    expect(issueRequest?.json()).toEqual({ title: '“Nightly backup” is DOWN', body: MARKDOWN_DOWN, labels: ['cron', 'alert'] });
  });

  it('uses a configured token directly and does nothing on up', async () => {
    const config = github.parseConfig({ repo: 'acme/ops', token: 'github_pat_x' });
    await github.send(config, downAlert(), stand.env({ GITHUB_API_URL: stand.server.url }));
    expect(stand.server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/repos/acme/ops/issues', 'Bearer github_pat_x']]);
    expect(stand.server.requests[0]?.json().labels).toEqual([]);
    expect(github.isNoop(config, 'up')).toBe(true);
    expect(github.isNoop(config, 'down')).toBe(false);
  });

  it('validates its configuration', () => {
    expect(() => github.parseConfig({ repo: 'acme', token: 't' })).toThrow(new ChannelConfigError('repo: must be "owner/repository"'));
    expect(() => github.parseConfig({ repo: 'acme/ops' })).toThrow(new ChannelConfigError('configuration needs either installation_id or token'));
    expect(() => github.parseConfig({ repo: 'acme/ops', token: 't', labels: 'x' })).toThrow(new ChannelConfigError('labels: must be an array'));
  });

  it('treats 410 (issues disabled) and an uninstalled app as permanent', async () => {
    const config = github.parseConfig({ repo: 'acme/ops', token: 't' });
    stand.server.replyOnce({ status: 410, body: { message: 'Issues are disabled for this repo' } }, { status: 502, body: 'x' });
    const env = stand.env({ GITHUB_API_URL: stand.server.url });
    await expectTransportError(github.send(config, downAlert(), env), 'Received status code 410 with a message: "Issues are disabled for this repo"', true);
    await expectTransportError(github.send(config, downAlert(), env), 'Received status code 502');
    stand.server.replyOnce({ status: 404, body: { message: 'Not Found' } });
    await expectTransportError(github.send(appConfig(), downAlert(), stand.env(settings())), 'Received status code 404 with a message: "Not Found"', true);
    await expectTransportError(github.send(appConfig(), downAlert(), stand.env({})), 'GitHub notifications are not enabled');
  });
});
