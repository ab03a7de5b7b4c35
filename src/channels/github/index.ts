// GitHub: opens an issue in a repository when a check goes down (nothing on up). Authenticates as
// the instance's GitHub App installation (Healthchecks' way) or with a token stored on the channel.
import { createSign } from 'node:crypto';
import { z } from 'zod';
import { requiredText } from '../config-fields.js';
import { defineChannel } from '../define.js';
import { deliver, jsonText } from '../http.js';
import { markdownMessage } from '../markup.js';
import { requireSettings, settingBaseUrl } from '../settings.js';
import { headline } from '../text.js';
import type { SendEnvironment } from '../types.js';
import { TransportError } from '../types.js';

export const githubConfig = z
  .object({
    repo: z
      .string()
      .trim()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/repository"'),
    labels: z.array(requiredText(50)).max(10).default([]),
    /** The GitHub App installation that may write to the repository. */
    installation_id: z.number().int().positive().optional(),
    /** Instead of the app: a fine-grained personal access token with "Issues: write". */
    token: requiredText(255).optional(),
  })
  .strict()
  .refine((c) => (c.installation_id === undefined) !== (c.token === undefined), 'needs either installation_id or token');

export type GithubConfig = z.output<typeof githubConfig>;

const API_HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** A short-lived RS256 JWT that authenticates as the GitHub App itself. */
export function appJwt(appId: string, privateKeyPem: string, nowMs: number): string {
  const now = Math.floor(nowMs / 1000);
  const unsigned = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(
    JSON.stringify({ iat: now - 60, exp: now + 540, iss: appId }),
  )}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKeyPem);
  return `${unsigned}.${base64url(signature)}`;
}

async function accessToken(config: GithubConfig, env: SendEnvironment, api: string): Promise<string> {
  if (config.token !== undefined) return config.token;
  const settings = requireSettings(env.settings, ['GITHUB_APP_ID', 'GITHUB_PRIVATE_KEY'], 'GitHub');
  // A PEM in an environment variable often has its newlines written as "\n".
  const pem = settings.GITHUB_PRIVATE_KEY.replace(/\\n/g, '\n');
  let jwt: string;
  try {
    jwt = appJwt(settings.GITHUB_APP_ID, pem, Date.now());
  } catch {
    throw new TransportError('GITHUB_PRIVATE_KEY is not a valid RSA private key');
  }
  const response = await deliver(
    env,
    'POST',
    `${api}/app/installations/${config.installation_id}/access_tokens`,
    { headers: { ...API_HEADERS, authorization: `Bearer ${jwt}` }, trusted: true },
    // 404: the app was uninstalled from that account.
    (r) => ({ remoteMessage: jsonText(r, 'message'), permanent: r.status === 404 }),
  );
  const token = jsonText(response, 'token');
  if (token === undefined) throw new TransportError('GitHub returned no installation token');
  return token;
}

export const github = defineChannel({
  kind: 'github',
  label: 'GitHub',
  schema: githubConfig,
  isNoop: (_config, status) => status !== 'down',
  async send(config, alert, env) {
    const api = settingBaseUrl(env.settings, 'GITHUB_API_URL', 'https://api.github.com');
    const token = await accessToken(config, env, api);
    await deliver(
      env,
      'POST',
      `${api}/repos/${config.repo}/issues`,
      {
        headers: { ...API_HEADERS, authorization: `Bearer ${token}` },
        json: { title: headline(alert), body: markdownMessage(alert), labels: config.labels },
        trusted: true,
      },
      // 410: issues are disabled on the repository.
      (r) => ({ remoteMessage: jsonText(r, 'message'), permanent: r.status === 410 }),
    );
  },
});
