// A project's checks in the Prometheus text exposition format, family by family in Healthchecks'
// order, with its HELP texts and blank lines between families (spec §5).
import type { CheckStatus } from '../../core/check-status.js';
import { splitTags } from '../../core/tags.js';

export interface CheckMetrics {
  name: string;
  /** The raw space-separated tags string. */
  tags: string;
  uniqueKey: string;
  /** v2 status. */
  status: CheckStatus;
  started: boolean;
}

/** Label values escape backslash, double quote and newline. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const flag = (value: boolean): number => (value ? 1 : 0);

function family(name: string, help: string, samples: string[]): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${samples.join('')}`;
}

export function prometheusText(checks: CheckMetrics[]): string {
  const perCheck = (metric: string, help: string, value: (check: CheckMetrics) => boolean) =>
    family(
      metric,
      help,
      checks.map((check) => {
        const labels = `{name="${escapeLabelValue(check.name)}", tags="${escapeLabelValue(check.tags)}", unique_key="${check.uniqueKey}"}`;
        return `${metric}${labels} ${flag(value(check))}\n`;
      }),
    );

  const allTags = new Set<string>();
  const downTags = new Set<string>();
  let down = 0;
  for (const check of checks) {
    const tags = splitTags(check.tags);
    for (const tag of tags) allTags.add(tag);
    if (check.status === 'down') {
      down += 1;
      for (const tag of tags) downTags.add(tag);
    }
  }
  // Sorted by code point like Python's sorted(); JavaScript's default sort compares UTF-16
  // units, which orders characters beyond U+FFFF differently.
  const tagSamples = [...allTags].sort(compareCodePoints).map((tag) => `hc_tag_up{tag="${escapeLabelValue(tag)}"} ${flag(!downTags.has(tag))}\n`);

  return [
    perCheck('hc_check_up', 'Whether the check is currently up (1 for yes, 0 for no).', (c) => c.status !== 'down'),
    perCheck('hc_check_started', 'Whether the check is currently started (1 for yes, 0 for no).', (c) => c.started),
    perCheck('hc_check_grace', 'Whether the check is currently in the grace period (1 for yes, 0 for no).', (c) => c.status === 'grace'),
    perCheck('hc_check_paused', 'Whether the check is currently paused (1 for yes, 0 for no).', (c) => c.status === 'paused'),
    family('hc_tag_up', 'Whether all checks with this tag are up (1 for yes, 0 for no).', tagSamples),
    family('hc_checks_total', 'The total number of checks.', [`hc_checks_total ${checks.length}\n`]),
    family('hc_checks_down_total', 'The number of checks currently down.', [`hc_checks_down_total ${down}\n`]),
  ].join('\n');
}

function compareCodePoints(a: string, b: string): number {
  const left = [...a].map((c) => c.codePointAt(0) ?? 0);
  const right = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    if (left[i] !== right[i]) return (left[i] ?? 0) - (right[i] ?? 0);
  }
  return left.length - right.length;
}
