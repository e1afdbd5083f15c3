// Finds what the browser tests need from Debian (Chromium, the CJK fonts a Chinese reader's
// system has, nginx for the reverse-proxy suite); installs what is missing when we may (root on
// Debian).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const nginxPath = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/** Debian packages the tests use, each with a file that shows it is there and what happens without it. */
const packages = [
  { name: 'chromium', file: chromiumPath, isRequired: true, without: 'point CHROMIUM_PATH at a Chromium or Chrome binary' },
  // Without them Chinese renders as boxes, and the tests that look at Chinese type are skipped.
  {
    name: 'fonts-noto-cjk',
    file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
    isRequired: false,
    without: 'the tests that need it are skipped',
  },
  // The proxy suite (tests/e2e/proxy.spec.ts) runs the README's nginx.conf in front of the server;
  // without nginx that suite fails and names it, the others run.
  { name: 'nginx', file: nginxPath, isRequired: false, without: 'the reverse-proxy suite fails (or point NGINX_PATH at an nginx binary)' },
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
      console.error(`${message},\nor ${entry.without}, then run npm test again.`);
      process.exit(1);
    }
    console.warn(`${message}; ${entry.without}.`);
  }
  process.exit(0);
}

const names = missing.map((entry) => entry.name);
console.log(`Installing Debian packages the browser tests need: ${names.join(', ')}…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
// Debian's nginx package starts the system's nginx on port 80 where services may start (no
// policy-rc.d saying otherwise); the tests never use that one: they run their own, on a free port.
execFileSync('apt-get', ['install', '-y', '-qq', ...names], { stdio: 'inherit', env });
for (const entry of missing) {
  if (!existsSync(entry.file)) {
    console.error(`apt-get installed ${entry.name}, but ${entry.file} is still missing.`);
    process.exit(1);
  }
}
