/**
 * Moderator accounts: `npm run moderator -- add|passwd <name>` (password from a hidden prompt, or
 * from standard input when it is not a terminal), `remove <name>`, `list`. Uses COMMENTS_DB like the server,
 * or with `--d1 local|remote` the Cloudflare target's D1 database.
 */
import '../src/lib/load-env.ts';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { d1Usage, describeDatabaseTarget, openDatabaseTarget, readDatabaseTarget } from '../src/lib/db/cli-database.ts';
import { checkNewPassword, hashPassword, minPasswordLength } from '../src/lib/moderation/password.ts';
import { accountNamePattern, createModerationStore } from '../src/lib/moderation/store.ts';

const usage = `Usage: npm run moderator -- add <name> | passwd <name> | remove <name> | list  [${d1Usage}]`;

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  return new Promise((resolve) => {
    const output = process.stderr;
    output.write(prompt);
    const readline = createInterface({ input: process.stdin, output, terminal: true });
    // Nothing typed is echoed.
    (readline as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
    readline.question('', (answer) => {
      readline.close();
      output.write('\n');
      resolve(answer);
    });
  });
}

async function askNewPassword(): Promise<string> {
  const password = await readPassword('Password: ');
  const problem = checkNewPassword(password);
  if (problem === 'tooShort') throw new Error(`The password must be at least ${minPasswordLength} characters long.`);
  if (problem === 'tooLong') throw new Error('The password is too long.');
  if (process.stdin.isTTY && (await readPassword('Again: ')) !== password) throw new Error('The two passwords differ.');
  return password;
}

async function main(): Promise<number> {
  const { target, rest } = readDatabaseTarget(process.argv.slice(2), process.env);
  const [command, name] = rest;
  const database = await openDatabaseTarget(target, join(import.meta.dirname, '..'));
  try {
    const store = createModerationStore(database.driver);
    if (command === 'list') {
      for (const moderator of await store.listModerators()) console.log(`${moderator.name}\tsince ${moderator.createdAt.toISOString()}`);
      return 0;
    }
    if (!name || !['add', 'passwd', 'remove'].includes(command ?? '')) {
      console.error(usage);
      return 2;
    }
    if (command === 'add') {
      if (!accountNamePattern.test(name)) throw new Error('A name is 1–60 letters, digits, "_", "." or "-".');
      if (await store.getModerator(name)) throw new Error(`"${name}" exists already; use passwd to change the password.`);
      if (!(await store.addModerator(name, await hashPassword(await askNewPassword())))) throw new Error(`"${name}" exists already.`);
      console.log(`Added moderator "${name}" (${describeDatabaseTarget(target)}).`);
    } else if (command === 'passwd') {
      if (!(await store.getModerator(name))) throw new Error(`There is no moderator "${name}".`);
      await store.setPassword(name, await hashPassword(await askNewPassword()));
      console.log(`Changed the password of "${name}"; their sessions were ended.`);
    } else {
      if (!(await store.removeModerator(name))) throw new Error(`There is no moderator "${name}".`);
      console.log(`Removed moderator "${name}".`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
