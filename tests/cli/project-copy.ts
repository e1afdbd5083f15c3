import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const projectRoot = join(import.meta.dirname, '..', '..');
const copies: string[] = [];

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  env?: Record<string, string>;
  input?: string;
  timeout?: number;
}

export interface ProjectCopy {
  root: string;
  /** Runs `node scripts/<script> …args` in the copy, as the npm scripts do. */
  run: (script: string, ...args: string[]) => RunResult;
  /** The same with more environment variables, standard input or a longer time limit (default 30 s). */
  runWith: (options: RunOptions, script: string, ...args: string[]) => RunResult;
  write: (path: string, text: string) => void;
  /** Entries of content/essays, hidden ones included (a leftover staging folder would show here). */
  listEssayFolders: () => string[];
}

/** A throwaway copy of the project's sources and content for running the author CLIs; removed by removeProjectCopies. */
export function createProjectCopy(): ProjectCopy {
  const root = mkdtempSync(join(tmpdir(), 'duizhao-cli-'));
  copies.push(root);
  for (const entry of ['src', 'scripts', 'content', 'public', 'package.json', 'tsconfig.json']) {
    cpSync(join(projectRoot, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(root, 'node_modules'));
  const runWith = (options: RunOptions, script: string, ...args: string[]): RunResult => {
    const result = spawnSync(join(projectRoot, 'node_modules/.bin/node'), [join('scripts', script), ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: options.timeout ?? 30_000,
      env: { ...process.env, ...options.env },
      input: options.input,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return {
    root,
    run: (script, ...args) => runWith({}, script, ...args),
    runWith,
    write: (path, text) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    listEssayFolders: () => readdirSync(join(root, 'content/essays')).sort(),
  };
}

export function removeProjectCopies() {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
}
