import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * scripts/run-node.mjs, the runner every npm script starts its program through, in a throwaway
 * project whose "Node" binaries are shell scripts that report a chosen version and, when run,
 * say who they are and what they were given.
 */
const projectRoot = join(import.meta.dirname, '..', '..');
const minimum = '22.23.4';
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

interface FakeProject {
  root: string;
  /** Writes an executable at `path` (relative to the project) that answers --version with `version`. */
  fakeNode: (path: string, version: string, body?: string) => string;
  run: (env: Record<string, string>, ...args: string[]) => { status: number | null; stdout: string; stderr: string };
  /** Starts the runner, sends it SIGTERM once the program has printed "ready", and reports how it ended. */
  stopWithTerm: (yourNode: string) => Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

function createFakeProject(engines: unknown = { node: `>=${minimum}` }, runnerNode = process.execPath): FakeProject {
  const root = mkdtempSync(join(tmpdir(), 'duizhao-run-node-'));
  folders.push(root);
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join(projectRoot, 'scripts/run-node.mjs'), join(root, 'scripts/run-node.mjs'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fake', engines }));
  return {
    root,
    fakeNode(path, version, body = `echo "ran by $0: $*"\necho "first on PATH: \${PATH%%${delimiter}*}"\nexit 7`) {
      const file = join(root, path);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, `#!/bin/sh\nif [ "$1" = --version ]; then echo "${version}"; exit 0; fi\n${body}\n`);
      chmodSync(file, 0o755);
      return file;
    },
    run(env, ...args) {
      const result = spawnSync(runnerNode, [join(root, 'scripts/run-node.mjs'), ...args], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    stopWithTerm(yourNode) {
      return new Promise((resolve) => {
        const child = spawn(runnerNode, [join(root, 'scripts/run-node.mjs'), 'server.mjs'], {
          env: { PATH: process.env.PATH ?? '', npm_node_execpath: yourNode },
        });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          const isFirstReady = !stdout.includes('ready');
          stdout += chunk.toString();
          if (isFirstReady && stdout.includes('ready')) child.kill('SIGTERM');
        });
        // The fake programs end by themselves within about 10 s; this one never outlives the test.
        const deadline = setTimeout(() => child.kill('SIGKILL'), 8_000);
        child.on('exit', (code, signal) => {
          clearTimeout(deadline);
          resolve({ code, signal, stdout });
        });
      });
    },
  };
}

const packagedNodePath = 'node_modules/node/bin/node';

/** A refusal is one line on stderr, naming the minimum, and no stack trace. */
function expectOneLineRefusal(result: { status: number | null; stdout: string; stderr: string }) {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^duizhao: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return lines[0] ?? '';
}

/**
 * The runner runs on whichever `node` npm finds first: this Node, which has process.execve (the
 * program takes the runner's place), and, where the machine has one, an older Node without it
 * (the program runs as the runner's child, which passes signals on).
 */
const systemNode = '/usr/bin/node';
const askNode = (node: string, expression: string) => spawnSync(node, ['-p', expression], { encoding: 'utf8' }).stdout.trim();
const runnerNodes = [{ name: `this Node ${process.versions.node}`, path: process.execPath, version: process.versions.node }];
if (
  existsSync(systemNode) &&
  askNode(systemNode, 'typeof process.execve') !== 'function' &&
  Number(askNode(systemNode, 'process.versions.node.split(".")[0]')) >= 18
) {
  runnerNodes.push({
    name: `the machine's Node ${askNode(systemNode, 'process.versions.node')}`,
    path: systemNode,
    version: askNode(systemNode, 'process.versions.node'),
  });
}

describe.each(runnerNodes)('scripts/run-node.mjs on $name', { timeout: 30_000 }, ({ path: runnerNode, version: runnerVersion }) => {
  const project = (engines?: unknown) => createFakeProject(engines, runnerNode);
  const isRunnerNewEnough = runnerVersion.localeCompare(minimum, 'en', { numeric: true }) >= 0;

  it('runs the program on your Node (the one running npm) when it is new enough, with its arguments and exit code', () => {
    const fake = project();
    const yours = fake.fakeNode('bin/your-node', 'v24.1.0');
    const result = fake.run({ npm_node_execpath: yours }, 'scripts/app.ts', '--flag', 'two words');
    expect(result.stdout).toContain(`ran by ${yours}: scripts/app.ts --flag two words`);
    expect(result.status).toBe(7);
  });

  it('takes your Node over the packaged one when both are new enough, and accepts exactly the minimum', () => {
    const fake = project();
    const packaged = fake.fakeNode(packagedNodePath, 'v24.21.0');
    const yours = fake.fakeNode('bin/your-node', `v${minimum}`);
    const result = fake.run({ npm_node_execpath: yours }, 'app.ts');
    expect(result.stdout).toContain(`ran by ${yours}: app.ts`);
    expect(result.stdout).not.toContain(packaged);
  });

  it('falls back to the packaged Node when yours is one patch too old, and puts it first on PATH for the program', () => {
    const fake = project();
    const packaged = fake.fakeNode(packagedNodePath, 'v24.21.0');
    const yours = fake.fakeNode('bin/your-node', 'v22.23.3');
    const result = fake.run({ npm_node_execpath: yours }, 'app.ts', 'build');
    expect(result.stdout).toContain(`ran by ${packaged}: app.ts build`);
    expect(result.stdout).toContain(`first on PATH: ${join(fake.root, 'node_modules/node/bin')}`);
    expect(result.status).toBe(7);
  });

  it('refuses with one line when your Node is too old and there is no packaged Node', () => {
    const fake = project();
    const yours = fake.fakeNode('bin/your-node', 'v20.11.1');
    const line = expectOneLineRefusal(fake.run({ npm_node_execpath: yours }, 'app.ts'));
    expect(line).toContain(`needs Node.js ${minimum} or newer`);
    expect(line).toContain(`v20.11.1 (${yours})`);
    expect(line).toContain('without --omit=peer');
  });

  it('refuses with one line when neither Node is new enough or runs', () => {
    const fake = project();
    fake.fakeNode(packagedNodePath, 'not a version');
    const yours = fake.fakeNode('bin/your-node', 'v18.20.0');
    const line = expectOneLineRefusal(fake.run({ npm_node_execpath: yours }, 'app.ts'));
    expect(line).toContain('is v18.20.0');
    expect(line).toContain(`${join(fake.root, packagedNodePath)} is not runnable`);

    const bare = project();
    expect(expectOneLineRefusal(bare.run({ npm_node_execpath: join(bare.root, 'bin/missing-node') }, 'app.ts'))).toContain(
      `no runnable Node.js at ${join(bare.root, 'bin/missing-node')}`,
    );
  });

  it.runIf(isRunnerNewEnough)('outside npm, runs the program on the Node that runs the runner', () => {
    const fake = project();
    writeFileSync(join(fake.root, 'print-version.mjs'), 'console.log(process.version, process.argv.slice(2).join(","));\n');
    expect(fake.run({}, 'print-version.mjs', 'a', 'b')).toMatchObject({ status: 0, stdout: `v${runnerVersion} a,b\n` });
  });

  it.runIf(!isRunnerNewEnough)('outside npm, refuses the too-old Node that runs the runner in one line', () => {
    expect(expectOneLineRefusal(project().run({}, 'app.ts'))).toContain(`Node.js v${runnerVersion} (${runnerNode})`);
  });

  it('refuses, in one line, a package.json whose engines.node it cannot read, and a call without a program', () => {
    for (const engines of [null, {}, { node: '^22.23.4 || >=24' }, { node: 22 }]) {
      expect(expectOneLineRefusal(project(engines).run({}, 'app.ts'))).toContain('engines.node ">=X.Y.Z"');
    }
    expect(expectOneLineRefusal(project().run({}))).toContain('usage: node scripts/run-node.mjs <file>');
  });

  it('passes SIGTERM on to the program and ends the way the program ended', async () => {
    const fake = project();
    const trapping = fake.fakeNode(
      'bin/trapping-node',
      'v24.1.0',
      `trap 'echo "got TERM"; exit 143' TERM\necho ready\ni=0\nwhile [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done`,
    );
    const quitting = fake.fakeNode('bin/plain-node', 'v24.1.0', 'echo ready\nexec sleep 10');
    // A program that handles the signal decides the exit code…
    expect(await fake.stopWithTerm(trapping)).toMatchObject({ code: 143, stdout: expect.stringContaining('got TERM') });
    // …and one the signal ends takes the runner with it the same way.
    expect(await fake.stopWithTerm(quitting)).toMatchObject({ code: null, signal: 'SIGTERM' });
  });
});

describe('package.json engines.node', () => {
  it('names a minimum no lower than Astro’s own', () => {
    const readRange = (file: string) =>
      (JSON.parse(readFileSync(join(projectRoot, file), 'utf8')) as { engines: { node: string } }).engines.node;
    const toNumbers = (range: string) => (/>=\s*(\d+)\.(\d+)\.(\d+)/.exec(range) ?? []).slice(1).map(Number);
    const ours = toNumbers(readRange('package.json'));
    const astros = toNumbers(readRange('node_modules/astro/package.json'));
    expect(ours).toHaveLength(3);
    expect(astros).toHaveLength(3);
    const difference = ours.map((part, index) => part - (astros[index] ?? 0)).find((part) => part !== 0) ?? 0;
    expect(difference).toBeGreaterThanOrEqual(0);
  });
});
