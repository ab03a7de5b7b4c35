// Running a local program for the shell and Apprise integrations, bounded by the attempt's signal.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export type CommandResult =
  | { outcome: 'exited'; exitCode: number; stderr: string }
  | { outcome: 'not-found' }
  | { outcome: 'timed-out' }
  | { outcome: 'failed'; message: string };

const STDERR_LIMIT = 2000;

export function runCommand(
  file: string,
  args: string[],
  options: { env: Record<string, string>; signal: AbortSignal },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    if (options.signal.aborted) return resolve({ outcome: 'timed-out' });
    const child = spawn(file, args, { env: options.env, stdio: ['ignore', 'ignore', 'pipe'], signal: options.signal });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (options.signal.aborted) resolve({ outcome: 'timed-out' });
      else if (error.code === 'ENOENT') resolve({ outcome: 'not-found' });
      else resolve({ outcome: 'failed', message: error.message });
    });
    child.on('close', (code, signal) => {
      if (options.signal.aborted) return resolve({ outcome: 'timed-out' });
      // A child killed by a signal reports it the way a shell would: 128 + signal number.
      const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      resolve({ outcome: 'exited', exitCode, stderr: stderr.slice(0, STDERR_LIMIT) });
    });
  });
}

/** A minimal environment for child programs, so the server's own secrets are not handed down. */
export function childEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...extra };
}
