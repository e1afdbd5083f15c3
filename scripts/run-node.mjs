// `node scripts/run-node.mjs <file> [args…]`: runs a Node program (a .ts script, Astro, the
// server, a test runner) on a Node.js new enough for duizhao. Every npm script that runs one
// starts here, so all of them make the same choice:
//   1. your Node, the one that runs npm (npm_node_execpath; or this one, outside npm), if it
//      is at least the version package.json's `engines.node` names;
//   2. else the Node 24 of the `node` package in node_modules: a peer dependency, so
//      `npm install` brings it, also with --omit=dev, and --omit=peer leaves it out where your
//      Node will do (as an optional dependency it could not be left out alone: --omit=optional
//      also drops the native binaries the build needs; as a dependency it could not at all);
//   3. else one line that says what to install, and exit 1.
// Why not just `node`: npm puts node_modules/.bin first on PATH, so inside a script `node` is the
// package's binary when it is installed (even where the machine's own Node would do) and the
// machine's old Node when it is not: neither is a choice.
// Written for Node 18 and later with Node's built-ins only (no dependency; a newer API only where
// present): it runs before anything has checked that the Node at hand can run the rest.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagedNode = join(projectRoot, 'node_modules', 'node', 'bin', 'node');

function refuse(message) {
  console.error(`duizhao: ${message}`);
  process.exit(1);
}

/** `>=22.23.4` as [22, 23, 4]; the only form engines.node takes here. */
function readMinimumVersion() {
  let range;
  try {
    range = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).engines.node;
  } catch {
    range = undefined;
  }
  const match = /^\s*>=\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(typeof range === 'string' ? range : '');
  if (!match) refuse(`package.json must name the oldest Node.js it runs on as engines.node ">=X.Y.Z"; found ${JSON.stringify(range)}.`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function parseVersion(text) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(text).trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

// Three numbers compared in order: a semver library would have to be installed and trusted
// before this check, which is the one thing that runs first.
function isAtLeast(version, minimum) {
  for (let index = 0; index < 3; index += 1) {
    if (version[index] !== minimum[index]) return version[index] > minimum[index];
  }
  return true;
}

function isSameFile(first, second) {
  try {
    return realpathSync(first) === realpathSync(second);
  } catch {
    return false;
  }
}

/** The version a Node binary reports, or undefined when it does not run. */
function readNodeVersion(path) {
  if (isSameFile(path, process.execPath)) return parseVersion(process.versions.node);
  const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? parseVersion(result.stdout) : undefined;
}

const [program, ...programArguments] = process.argv.slice(2);
if (!program) refuse('usage: node scripts/run-node.mjs <file> [arguments…]');

const minimum = readMinimumVersion();
const minimumText = minimum.join('.');
const yourNode = process.env.npm_node_execpath || process.execPath;
const yourVersion = readNodeVersion(yourNode);

let chosen;
if (yourVersion && isAtLeast(yourVersion, minimum)) {
  chosen = yourNode;
} else if (existsSync(packagedNode)) {
  const packagedVersion = readNodeVersion(packagedNode);
  if (!packagedVersion || !isAtLeast(packagedVersion, minimum)) {
    refuse(
      `needs Node.js ${minimumText} or newer; ${yourNode} is ${yourVersion ? `v${yourVersion.join('.')}` : 'not runnable'} and ${packagedNode} is ${packagedVersion ? `v${packagedVersion.join('.')}` : 'not runnable'}: install Node.js ${minimumText} or newer, or run npm install again.`,
    );
  }
  chosen = packagedNode;
} else {
  const found = yourVersion ? `Node.js v${yourVersion.join('.')} (${yourNode})` : `no runnable Node.js at ${yourNode}`;
  refuse(
    `needs Node.js ${minimumText} or newer and found ${found}: install Node.js ${minimumText} or newer, or run npm install without --omit=peer to get Node 24 in node_modules.`,
  );
}

// Programs that start `node` by name (through PATH) get the same Node: the package's bin folder
// holds nothing else. The machine's own folder is left where it is, since it holds other tools.
const env =
  chosen === packagedNode ? { ...process.env, PATH: `${dirname(packagedNode)}${delimiter}${process.env.PATH ?? ''}` } : process.env;

// Where this Node can (22.15 and later), the program takes this process's place: no second
// process waits beside the server, and signals and the exit status are the program's own. The
// chosen Node has just answered --version (or is this one), so the exec finds a file it can run
// (process.execve aborts the process when it cannot).
if (typeof process.execve === 'function') process.execve(chosen, [chosen, program, ...programArguments], env);

// A signal sent to this process alone (npm passes on SIGTERM and SIGINT, a service manager
// stops the process it started) reaches the program, which decides how to stop. The handlers
// go in before the program starts: a signal that came between the start and the handlers would
// end this process by default and leave the program running on its own.
const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
let child;
const forward = (signal) => child?.kill(signal);
for (const signal of forwardedSignals) process.on(signal, forward);

child = spawn(chosen, [program, ...programArguments], { stdio: 'inherit', env });

child.on('error', (error) => refuse(`could not start ${chosen}: ${error.message}`));
child.on('exit', (code, signal) => {
  for (const name of forwardedSignals) process.off(name, forward);
  // Ending the same way lets npm and shells see a program stopped by a signal as stopped by it.
  if (!signal) process.exit(code ?? 1);
  process.kill(process.pid, signal);
  // Only for a signal whose default is not to end a process.
  setTimeout(() => process.exit(1), 1000);
});
