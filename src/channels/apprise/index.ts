// Apprise: hands the alert to the `apprise` command-line tool, which knows dozens more services.
// Off unless APPRISE_ENABLED=true, because Apprise reaches its targets itself, past the private
// address guard of the HTTP integrations.
import { requiredText, withShorthand } from '../config-fields.js';
import { childEnvironment, runCommand } from '../command.js';
import { defineChannel } from '../define.js';
import { plainMessage } from '../markup.js';
import { settingText } from '../settings.js';
import { headline } from '../text.js';
import { TransportError } from '../types.js';

/** One Apprise URL such as `tgram://bottoken/ChatID` or `mailto://user:pass@example.org`. */
export const appriseConfig = withShorthand('url', {
  url: requiredText(2000).regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/i, 'must be an Apprise URL such as tgram://token/chat'),
});

export const apprise = defineChannel({
  kind: 'apprise',
  label: 'Apprise',
  schema: appriseConfig,
  enabledBy: { setting: 'APPRISE_ENABLED', default: false },
  async send(config, alert, env) {
    const program = settingText(env.settings, 'APPRISE_BIN', 'apprise');
    const args = [
      '--title', headline(alert),
      '--body', plainMessage(alert),
      '--notification-type', alert.event.status === 'up' ? 'success' : 'failure',
      // Everything after "--" is a URL, even one that starts with a dash.
      '--', config.url,
    ]; // prettier-ignore
    const result = await runCommand(program, args, { env: childEnvironment({}), signal: env.signal });
    if (result.outcome === 'not-found') throw new TransportError(`Apprise is not installed (no "${program}" command)`);
    if (result.outcome === 'timed-out') throw new TransportError('Apprise timed out');
    if (result.outcome === 'failed') throw new TransportError(`Apprise failed: ${result.message}`);
    if (result.exitCode !== 0) {
      const detail = result.stderr.trim().split('\n').pop()?.slice(0, 150);
      throw new TransportError(`Apprise failed (exit code ${result.exitCode})${detail ? `: ${detail}` : ''}`);
    }
  },
});
