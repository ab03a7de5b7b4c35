// Shell commands with their placeholders as variables.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutboundHttp } from '../../src/channels/http.js';
import { shell } from '../../src/channels/shell/index.js';
import { ChannelConfigError } from '../../src/channels/types.js';
import { CHECK_CODE, downAlert, expectTransportError, testEnv, upAlert } from './fixtures.js';

describe('shell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-shell-'));
  const out = join(dir, 'out.txt');
  const http = new OutboundHttp();
  const enabled = { SHELL_ENABLED: 'true' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const writer = `printf '%s|%s|%s|%s|%s|%s|%s|%s\\n' "$CODE" "$STATUS" "$NOW" "$NAME" "$SLUG" "$TAGS" "$TAG1" "$TAG2" > '${out}'`;
  const config = () => shell.parseConfig({ cmd_down: writer, cmd_up: writer.replace('>', '>>') });

  it('runs cmd_down with the placeholders for a down alert', async () => {
    await shell.send(config(), downAlert(), testEnv(http, enabled));
    expect(readFileSync(out, 'utf8')).toBe(`${CHECK_CODE}|down|2025-01-02T04:00:00+00:00|Nightly backup|nightly-backup|prod db|prod|db\n`);
  });

  it('runs cmd_up for an up alert', async () => {
    await shell.send(config(), upAlert(), testEnv(http, enabled));
    expect(readFileSync(out, 'utf8').split('\n')[1]).toBe(
      `${CHECK_CODE}|up|2025-01-02T06:05:00+00:00|Nightly backup|nightly-backup|prod db|prod|db`,
    );
  });

  it('never runs a check name as code', async () => {
    const alert = downAlert();
    alert.check.name = `$(touch '${join(dir, 'pwned')}'); echo x`;
    await shell.send(shell.parseConfig({ cmd_down: `echo "$NAME" > '${out}'` }), alert, testEnv(http, enabled));
    expect(readFileSync(out, 'utf8')).toBe(`${alert.check.name}\n`);
    expect(() => readFileSync(join(dir, 'pwned'))).toThrow();
  });

  it('does not hand the server’s environment down', async () => {
    process.env.LOOKOUT_TEST_SECRET = 'hunter2';
    try {
      await shell.send(shell.parseConfig({ cmd_down: `echo "[$LOOKOUT_TEST_SECRET]" > '${out}'` }), downAlert(), testEnv(http, enabled));
      expect(readFileSync(out, 'utf8')).toBe('[]\n');
    } finally {
      delete process.env.LOOKOUT_TEST_SECRET;
    }
  });

  it('is a no-op for a status without a command and validates its configuration', () => {
    const downOnly = shell.parseConfig({ cmd_down: 'true' });
    expect(shell.isNoop(downOnly, 'up')).toBe(true);
    expect(shell.isNoop(downOnly, 'down')).toBe(false);
    expect(() => shell.parseConfig({ cmd_up: '  ' })).toThrow(new ChannelConfigError('configuration needs cmd_down or cmd_up'));
    expect(() => shell.parseConfig({ cmd_down: 'x'.repeat(1001) })).toThrow(new ChannelConfigError('cmd_down: must be at most 1000 characters long'));
  });

  it('reports exit codes, timeouts, and refuses to run unless SHELL_ENABLED', async () => {
    await expectTransportError(shell.send(shell.parseConfig({ cmd_down: 'exit 3' }), downAlert(), testEnv(http, enabled)), 'Command returned exit code 3');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expectTransportError(
      shell.send(shell.parseConfig({ cmd_down: 'sleep 5' }), downAlert(), testEnv(http, enabled, { signal: controller.signal })),
      'Command timed out',
    );
    await expectTransportError(shell.send(config(), downAlert(), testEnv(http, {})), 'Shell commands are not enabled');
  });
});
