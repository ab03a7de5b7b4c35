// Apprise through its command-line tool (a stand-in script records its arguments).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apprise } from '../../src/channels/apprise/index.js';
import { OutboundHttp } from '../../src/channels/http.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { PLAIN_DOWN, PLAIN_UP, downAlert, expectTransportError, testEnv, upAlert } from './fixtures.js';

describe('apprise', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-apprise-'));
  const log = join(dir, 'args.json');
  const bin = join(dir, 'apprise');
  // Records its arguments, each ended by a NUL byte.
  writeFileSync(bin, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${log}'\n`);
  chmodSync(bin, 0o755);
  const failing = join(dir, 'apprise-fail');
  writeFileSync(failing, '#!/bin/sh\necho "first line" >&2\necho "ERROR - Unparseable URL" >&2\nexit 1\n');
  chmodSync(failing, 0o755);
  const http = new OutboundHttp();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const settings = (program = bin) => ({ APPRISE_ENABLED: 'true', APPRISE_BIN: program });
  const args = () => readFileSync(log, 'utf8').split('\0').slice(0, -1);

  it('runs apprise with title, body and failure type for a down alert', async () => {
    await apprise.send(apprise.parseConfig('tgram://token/chat'), downAlert(), testEnv(http, settings()));
    expect(args()).toEqual(['--title', '“Nightly backup” is DOWN', '--body', PLAIN_DOWN, '--notification-type', 'failure', '--', 'tgram://token/chat']);
  });

  it('uses the success type for an up alert', async () => {
    await apprise.send(apprise.parseConfig({ url: 'mailto://u:p@example.org' }), upAlert(), testEnv(http, settings()));
    expect(args()).toEqual(['--title', '“Nightly backup” is UP', '--body', PLAIN_UP, '--notification-type', 'success', '--', 'mailto://u:p@example.org']);
  });

  it('validates the URL', () => {
    expect(() => apprise.parseConfig('not a url')).toThrow(new ChannelConfigError('url: must be an Apprise URL such as tgram://token/chat'));
    expect(apprise.isNoop(apprise.parseConfig('json://x'), 'up')).toBe(false);
  });

  it('fails clearly when disabled, missing or failing', async () => {
    const config = apprise.parseConfig('json://example.org');
    await expectTransportError(apprise.send(config, downAlert(), testEnv(http, {})), 'Apprise notifications are not enabled');
    await expectTransportError(
      apprise.send(config, downAlert(), testEnv(http, settings(join(dir, 'missing')))),
      `Apprise is not installed (no "${join(dir, 'missing')}" command)`,
    );
    await expectTransportError(
      apprise.send(config, downAlert(), testEnv(http, settings(failing))),
      'Apprise failed (exit code 1): ERROR - Unparseable URL',
    );
  });
});
