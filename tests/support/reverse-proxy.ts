import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

/** nginx in front of the built server, run from the deployment guide's own file (scripts/deploy/nginx.conf). */
const projectRoot = join(import.meta.dirname, '..', '..');
const deployedNginxConfig = join(projectRoot, 'scripts', 'deploy', 'nginx.conf');
/** The domain the guide's files carry, which readers replace with theirs. */
const exampleDomain = 'duizhao.example.com';

const nginxPath = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/** Throws, saying how to get it, when there is no nginx to run. */
export function checkNginxInstalled(): void {
  if (!existsSync(nginxPath)) {
    throw new Error(
      `nginx is not installed (${nginxPath} is missing): npm run test:e2e installs Debian's nginx package when run as root on Debian; otherwise run sudo apt-get install -y nginx, or set NGINX_PATH to an nginx binary`,
    );
  }
}

export interface NginxSite {
  serverName: string;
  httpPort: number;
  httpsPort: number;
  certificateFile: string;
  keyFile: string;
  /** host:port of the Node server. */
  upstream: string;
}

/** Replaces every match of `pattern`, and fails when there is none: the deployment file changed under the test. */
function replaceRequired(text: string, pattern: RegExp, replacement: string | ((...match: string[]) => string), what: string): string {
  if (!pattern.test(text)) throw new Error(`${deployedNginxConfig} no longer has ${what}: update tests/support/reverse-proxy.ts with it`);
  pattern.lastIndex = 0;
  return text.replace(pattern, replacement as (substring: string, ...args: string[]) => string);
}

/**
 * The guide's server blocks as a test runs them: the same text with only the domain, the ports
 * (on 127.0.0.1; the IPv6 listeners left out), the certificate paths and the upstream address
 * changed. Everything else (headers, limits, timeouts, redirects) is what a reader installs.
 */
function renderNginxSite(source: string, site: NginxSite): string {
  let text = replaceRequired(
    source,
    /^(\s*)ssl_certificate\s+\S+;$/gm,
    `$1ssl_certificate ${site.certificateFile};`,
    'an ssl_certificate line',
  );
  text = replaceRequired(
    text,
    /^(\s*)ssl_certificate_key\s+\S+;$/gm,
    `$1ssl_certificate_key ${site.keyFile};`,
    'an ssl_certificate_key line',
  );
  text = replaceRequired(text, /^(\s*)listen\s+\[::\]:\d+[^;]*;$/gm, '$1# (IPv6 listener left out by the test)', 'IPv6 listen lines');
  text = replaceRequired(text, /^(\s*)listen\s+80;$/gm, `$1listen 127.0.0.1:${site.httpPort};`, 'listen 80');
  text = replaceRequired(
    text,
    /^(\s*)listen\s+443(\s[^;]*)?;$/gm,
    (_line, indent, rest = '') => `${indent}listen 127.0.0.1:${site.httpsPort}${rest};`,
    'listen 443',
  );
  text = replaceRequired(text, /^(\s*)server\s+127\.0\.0\.1:4321;$/gm, `$1server ${site.upstream};`, 'the upstream server 127.0.0.1:4321');
  return replaceRequired(text, /duizhao\.example\.com/g, site.serverName, exampleDomain);
}

/** A self-signed certificate for `hostname` (with subjectAltName, as browsers require), made with openssl. */
export function makeCertificate(dir: string, hostname: string): { certificateFile: string; keyFile: string; certificate: string } {
  const certificateFile = join(dir, 'certificate.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${hostname}`,
      '-addext',
      `subjectAltName=DNS:${hostname}`,
      '-keyout',
      keyFile,
      '-out',
      certificateFile,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { certificateFile, keyFile, certificate: readFileSync(certificateFile, 'utf8') };
}

export interface RunningNginx {
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs nginx in the foreground with everything of its own in `dir` (pid, logs, temporary files),
 * the site rendered from the guide's file; resolves once it answers over TLS.
 */
export async function startNginx(
  dir: string,
  site: NginxSite,
  certificate: string,
  { startTimeoutMs = 20_000 }: { startTimeoutMs?: number } = {},
): Promise<RunningNginx> {
  checkNginxInstalled();
  mkdirSync(join(dir, 'temp'), { recursive: true });
  writeFileSync(join(dir, 'duizhao.conf'), renderNginxSite(readFileSync(deployedNginxConfig, 'utf8'), site));
  // What Debian's /etc/nginx/nginx.conf puts around a site, with this test's own paths.
  const mimeTypes = existsSync('/etc/nginx/mime.types') ? 'include /etc/nginx/mime.types;' : '';
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log stderr notice;
events { worker_connections 512; }
http {
  sendfile on;
  ${mimeTypes}
  default_type application/octet-stream;
  access_log ${join(dir, 'access.log')};
  client_body_temp_path ${join(dir, 'temp', 'body')};
  proxy_temp_path ${join(dir, 'temp', 'proxy')};
  fastcgi_temp_path ${join(dir, 'temp', 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'temp', 'uwsgi')};
  scgi_temp_path ${join(dir, 'temp', 'scgi')};
  include ${join(dir, 'duizhao.conf')};
}
`,
  );
  const child = spawn(nginxPath, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${log}`);
    const status = await requestOverTls({ port: site.httpsPort, hostname: site.serverName, certificate, path: '/healthz' }).then(
      (answer) => answer.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `nginx did not answer https://${site.serverName}:${site.httpsPort}/healthz with 200 within ${startTimeoutMs / 1000} s (last status ${status}):\n${log}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return { process: child, output: () => log, stop };
}

export interface TlsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Names and values as sent, repeats kept. */
  rawHeaders: string[];
  body: string;
}

/**
 * One HTTPS request to nginx on 127.0.0.1, checked against the test certificate, optionally from
 * another loopback address (`localAddress`: 127.0.0.2…), which nginx sees as another client.
 */
export function requestOverTls(options: {
  port: number;
  hostname: string;
  certificate: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  localAddress?: string;
}): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port: options.port,
        servername: options.hostname,
        ca: options.certificate,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `${options.hostname}:${options.port}`, ...options.headers },
        localAddress: options.localAddress,
        agent: false,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            rawHeaders: incoming.rawHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.setTimeout(30_000, () =>
      outgoing.destroy(new Error(`no answer from nginx within 30 s for ${options.method ?? 'GET'} ${options.path}`)),
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
