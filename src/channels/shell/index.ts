// Shell command: runs cmd_down or cmd_up through /bin/sh on the server (only with SHELL_ENABLED).
//
// $CODE $STATUS $NOW $NAME $SLUG $TAGS $TAG1… are handed to the command as environment variables,
// so the shell expands them itself: a check named `x; rm -rf ~` stays a string and is never run
// as code (Healthchecks pastes the values into the command text instead).
import { z } from 'zod';
import { childEnvironment, runCommand } from '../command.js';
import { defineChannel } from '../define.js';
import { isoSeconds, tagList } from '../text.js';
import type { AlertContext } from '../types.js';
import { TransportError } from '../types.js';

const command = z.string().trim().max(1000).default('');

export const shellConfig = z
  .object({ cmd_down: command, cmd_up: command })
  .strict()
  .refine((c) => c.cmd_down !== '' || c.cmd_up !== '', 'needs cmd_down or cmd_up');

export type ShellConfig = z.output<typeof shellConfig>;

const commandFor = (config: ShellConfig, status: 'up' | 'down') => (status === 'up' ? config.cmd_up : config.cmd_down);

export function shellVariables(alert: AlertContext): Record<string, string> {
  const variables: Record<string, string> = {
    CODE: alert.check.code,
    STATUS: alert.event.status,
    NOW: isoSeconds(alert.event.at),
    NAME: alert.check.name,
    SLUG: alert.check.slug,
    TAGS: alert.check.tags,
  };
  tagList(alert).forEach((tag, i) => (variables[`TAG${i + 1}`] = tag));
  return variables;
}

export const shell = defineChannel({
  kind: 'shell',
  label: 'Shell Command',
  schema: shellConfig,
  enabledBy: { setting: 'SHELL_ENABLED', default: false, message: 'Shell commands are not enabled' },
  isNoop: (config, status) => commandFor(config, status) === '',
  async send(config, alert, env) {
    const result = await runCommand('/bin/sh', ['-c', commandFor(config, alert.event.status)], {
      env: childEnvironment(shellVariables(alert)),
      signal: env.signal,
    });
    if (result.outcome === 'timed-out') throw new TransportError('Command timed out');
    if (result.outcome === 'not-found') throw new TransportError('/bin/sh not found');
    if (result.outcome === 'failed') throw new TransportError(`Command failed: ${result.message}`);
    if (result.exitCode !== 0) throw new TransportError(`Command returned exit code ${result.exitCode}`);
  },
});
