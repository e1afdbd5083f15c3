// Finds what the browser tests need from Debian (Chromium, the CJK fonts a Chinese reader's
// system has); installs what is missing when we may (root on Debian).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

/** Debian packages the tests use, each with a file that shows it is there and whether the tests can run without it. */
const packages = [
  { name: 'chromium', file: chromiumPath, isRequired: true },
  // Without them Chinese renders as boxes, and the tests that look at Chinese type are skipped.
  { name: 'fonts-noto-cjk', file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', isRequired: false },
];

function canInstallWithApt() {
  return process.platform === 'linux' && existsSync('/etc/debian_version') && process.getuid?.() === 0;
}

const missing = packages.filter((entry) => !existsSync(entry.file));
if (missing.length === 0) process.exit(0);

if (!canInstallWithApt()) {
  for (const entry of missing) {
    const message = `${entry.file} is missing: install Debian's ${entry.name} package (sudo apt-get install -y ${entry.name})`;
    if (entry.isRequired) {
      console.error(`${message},\nor point CHROMIUM_PATH at a Chromium or Chrome binary, then run npm test again.`);
      process.exit(1);
    }
    console.warn(`${message}; the tests that need it are skipped.`);
  }
  process.exit(0);
}

const names = missing.map((entry) => entry.name);
console.log(`Installing Debian packages the browser tests need: ${names.join(', ')}…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', ...names], { stdio: 'inherit', env });
for (const entry of missing) {
  if (!existsSync(entry.file)) {
    console.error(`apt-get installed ${entry.name}, but ${entry.file} is still missing.`);
    process.exit(1);
  }
}
