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
}

function createFakeProject(engines: unknown = { node: `>=${minimum}` }): FakeProject {
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
      const result = spawnSync(process.execPath, [join(root, 'scripts/run-node.mjs'), ...args], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
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

describe('scripts/run-node.mjs', { timeout: 30_000 }, () => {
  it('runs the program on your Node (the one running npm) when it is new enough, with its arguments and exit code', () => {
    const project = createFakeProject();
    const yours = project.fakeNode('bin/your-node', 'v24.1.0');
    const result = project.run({ npm_node_execpath: yours }, 'scripts/app.ts', '--flag', 'two words');
    expect(result.stdout).toContain(`ran by ${yours}: scripts/app.ts --flag two words`);
    expect(result.status).toBe(7);
  });

  it('takes your Node over the packaged one when both are new enough, and accepts exactly the minimum', () => {
    const project = createFakeProject();
    const packaged = project.fakeNode(packagedNodePath, 'v24.21.0');
    const yours = project.fakeNode('bin/your-node', `v${minimum}`);
    const result = project.run({ npm_node_execpath: yours }, 'app.ts');
    expect(result.stdout).toContain(`ran by ${yours}: app.ts`);
    expect(result.stdout).not.toContain(packaged);
  });

  it('falls back to the packaged Node when yours is one patch too old, and puts it first on PATH for the program', () => {
    const project = createFakeProject();
    const packaged = project.fakeNode(packagedNodePath, 'v24.21.0');
    const yours = project.fakeNode('bin/your-node', 'v22.23.3');
    const result = project.run({ npm_node_execpath: yours }, 'app.ts', 'build');
    expect(result.stdout).toContain(`ran by ${packaged}: app.ts build`);
    expect(result.stdout).toContain(`first on PATH: ${join(project.root, 'node_modules/node/bin')}`);
    expect(result.status).toBe(7);
  });

  it('refuses with one line when your Node is too old and there is no packaged Node', () => {
    const project = createFakeProject();
    const yours = project.fakeNode('bin/your-node', 'v20.11.1');
    const line = expectOneLineRefusal(project.run({ npm_node_execpath: yours }, 'app.ts'));
    expect(line).toContain(`needs Node.js ${minimum} or newer`);
    expect(line).toContain(`v20.11.1 (${yours})`);
    expect(line).toContain('without --omit=peer');
  });

  it('refuses with one line when neither Node is new enough or runs', () => {
    const project = createFakeProject();
    project.fakeNode(packagedNodePath, 'not a version');
    const yours = project.fakeNode('bin/your-node', 'v18.20.0');
    const line = expectOneLineRefusal(project.run({ npm_node_execpath: yours }, 'app.ts'));
    expect(line).toContain('is v18.20.0');
    expect(line).toContain(`${join(project.root, packagedNodePath)} is not runnable`);

    const bare = createFakeProject();
    expect(expectOneLineRefusal(bare.run({ npm_node_execpath: join(bare.root, 'bin/missing-node') }, 'app.ts'))).toContain(
      `no runnable Node.js at ${join(bare.root, 'bin/missing-node')}`,
    );
  });

  it('outside npm, runs the program on the Node that runs the runner', () => {
    const project = createFakeProject();
    writeFileSync(join(project.root, 'print-version.mjs'), 'console.log(process.version, process.argv.slice(2).join(","));\n');
    const result = project.run({}, 'print-version.mjs', 'a', 'b');
    expect(result).toMatchObject({ status: 0, stdout: `${process.version} a,b\n` });
  });

  it('refuses, in one line, a package.json whose engines.node it cannot read, and a call without a program', () => {
    for (const engines of [null, {}, { node: '^22.23.4 || >=24' }, { node: 22 }]) {
      const project = createFakeProject(engines);
      expect(expectOneLineRefusal(project.run({}, 'app.ts'))).toContain('engines.node ">=X.Y.Z"');
    }
    expect(expectOneLineRefusal(createFakeProject().run({}))).toContain('usage: node scripts/run-node.mjs <file>');
  });

  it('passes SIGTERM on to the program and ends the way the program ended', async () => {
    const project = createFakeProject();
    const trapping = project.fakeNode('bin/trapping-node', 'v24.1.0', `trap 'echo "got TERM"; exit 143' TERM\necho ready\ni=0\nwhile [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done`);
    const quitting = project.fakeNode('bin/plain-node', 'v24.1.0', 'echo ready\nexec sleep 10');
    const stopWithTerm = (node: string) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [join(project.root, 'scripts/run-node.mjs'), 'server.mjs'], { env: { PATH: process.env.PATH ?? '', npm_node_execpath: node } });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => {
          const isFirstReady = !stdout.includes('ready');
          stdout += chunk.toString();
          if (isFirstReady && stdout.includes('ready')) child.kill('SIGTERM');
        });
        // Both fake programs end by themselves within about 10 s; this one never outlives the test.
        const deadline = setTimeout(() => child.kill('SIGKILL'), 8_000);
        child.on('exit', (code, signal) => {
          clearTimeout(deadline);
          resolve({ code, signal, stdout });
        });
      });

    // A program that handles the signal decides the exit code…
    expect(await stopWithTerm(trapping)).toMatchObject({ code: 143, stdout: expect.stringContaining('got TERM') });
    // …and one the signal ends takes the runner with it the same way.
    expect(await stopWithTerm(quitting)).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  // The machine's own Node is what runs the runner when the packaged one is left out.
  const systemNode = '/usr/bin/node';
  const systemMajor = existsSync(systemNode) ? Number(spawnSync(systemNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) : 0;
  it.runIf(systemMajor >= 18 && systemMajor < 22)(`runs on this machine's Node ${systemMajor} and refuses it in one line`, () => {
    const project = createFakeProject();
    const result = spawnSync(systemNode, [join(project.root, 'scripts/run-node.mjs'), 'app.ts'], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    expect(expectOneLineRefusal({ status: result.status, stdout: result.stdout, stderr: result.stderr })).toContain(`Node.js v${systemMajor}.`);
  });
});

describe('package.json engines.node', () => {
  it('names a minimum no lower than Astro’s own', () => {
    const readRange = (file: string) => (JSON.parse(readFileSync(join(projectRoot, file), 'utf8')) as { engines: { node: string } }).engines.node;
    const toNumbers = (range: string) => (/>=\s*(\d+)\.(\d+)\.(\d+)/.exec(range) ?? []).slice(1).map(Number);
    const ours = toNumbers(readRange('package.json'));
    const astros = toNumbers(readRange('node_modules/astro/package.json'));
    expect(ours).toHaveLength(3);
    expect(astros).toHaveLength(3);
    const difference = ours.map((part, index) => part - (astros[index] ?? 0)).find((part) => part !== 0) ?? 0;
    expect(difference).toBeGreaterThanOrEqual(0);
  });
});
