import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

/**
 * When a content file last changed: its last commit when the file is committed and unchanged
 * since, else its modification time (a fresh clone's mtimes are the clone's, so git comes first).
 */
export function getLastChangeDate(path: string): Date {
  try {
    const run = (args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const committed = run(['log', '-1', '--format=%cI', '--', path]);
    const isModified = run(['status', '--porcelain', '--', path]) !== '';
    if (committed && !isModified) return new Date(committed);
  } catch {
    // Not a git checkout, or git is missing: the file system still knows.
  }
  return statSync(path).mtime;
}
