// Finds Debian's Chromium for the browser tests; installs it when we may (root on Debian).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

function canInstallWithApt() {
  return process.platform === 'linux' && existsSync('/etc/debian_version') && process.getuid?.() === 0;
}

if (existsSync(chromiumPath)) {
  process.exit(0);
}

if (!canInstallWithApt()) {
  console.error(
    `No Chromium at ${chromiumPath}. Install Debian's package (sudo apt-get install -y chromium),\n` +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary, then run npm test again.',
  );
  process.exit(1);
}

console.log('Chromium not found: installing Debian’s chromium package…');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
if (!existsSync(chromiumPath)) {
  console.error(`apt-get installed chromium, but ${chromiumPath} is still missing.`);
  process.exit(1);
}
