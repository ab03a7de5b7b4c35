// Builds a ChannelDefinition from a zod schema and a sender, so that every integration validates its
// configuration with the same kind of messages ("url: must be an http or https URL") and honours its
// <KIND>_ENABLED switch the same way.
import type { z } from 'zod';
import { settingFlag } from './settings.js';
import type { AlertContext, AlertStatus, ChannelDefinition, SendEnvironment } from './types.js';
import { ChannelConfigError, TransportError } from './types.js';

export interface ChannelSpec<Schema extends z.ZodTypeAny> {
  kind: string;
  label: string;
  schema: Schema;
  /** A Healthchecks-style switch (SLACK_ENABLED…): when it is false, sends fail with `message`. */
  enabledBy?: { setting: string; default: boolean; message?: string };
  /** Defaults to "never a no-op". */
  isNoop?(config: z.output<Schema>, status: AlertStatus): boolean;
  send(config: z.output<Schema>, alert: AlertContext, env: SendEnvironment): Promise<void>;
  members?(config: z.output<Schema>): readonly string[];
  /** See ChannelDefinition.showsCheckJson. */
  showsCheckJson?(config: z.output<Schema>): boolean;
}

const errorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return { message: 'is required' };
      if (issue.expected === 'object') return { message: 'must be a JSON object' };
      return { message: `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}` };
    case 'too_big': {
      const unit = issue.type === 'string' ? ' characters long' : issue.type === 'array' ? ' items' : '';
      const bound = issue.inclusive ? 'at most' : 'less than';
      return { message: `must be ${bound} ${String(issue.maximum)}${unit}` };
    }
    case 'too_small': {
      if (issue.type === 'string' && issue.minimum === 1) return { message: 'must not be empty' };
      const unit = issue.type === 'string' ? ' characters long' : issue.type === 'array' ? ' items' : '';
      const bound = issue.inclusive ? 'at least' : 'greater than';
      return { message: `must be ${bound} ${String(issue.minimum)}${unit}` };
    }
    case 'invalid_enum_value':
      return { message: `must be one of ${issue.options.map((o) => `"${String(o)}"`).join(', ')}` };
    case 'unrecognized_keys':
      return { message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}` };
    default:
      return { message: ctx.defaultError };
  }
};

/** `field.sub: problem`, or the bare problem for the configuration as a whole. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  const path = issue.path.join('.');
  return path === '' ? `configuration ${issue.message}` : `${path}: ${issue.message}`;
}

export function defineChannel<Schema extends z.ZodTypeAny>(
  spec: ChannelSpec<Schema>,
): ChannelDefinition<z.output<Schema>> {
  return {
    kind: spec.kind,
    label: spec.label,
    parseConfig(raw) {
      const result = spec.schema.safeParse(raw, { errorMap });
      if (!result.success) throw new ChannelConfigError(describeIssue(result.error));
      return result.data as z.output<Schema>;
    },
    isNoop: (config, status) => spec.isNoop?.(config, status) ?? false,
    send(config, alert, env) {
      const switchedBy = spec.enabledBy;
      if (switchedBy && !settingFlag(env.settings, switchedBy.setting, switchedBy.default)) {
        return Promise.reject(new TransportError(switchedBy.message ?? `${spec.label} notifications are not enabled`));
      }
      return spec.send(config, alert, env);
    },
    ...(spec.members ? { members: spec.members } : {}),
    ...(spec.showsCheckJson ? { showsCheckJson: spec.showsCheckJson } : {}),
  };
}
