// @ts-check
import { fileURLToPath } from 'node:url';
import { runAutocannon } from './api-bench-support.mjs';
import { nodeBinary, parseLastJsonLine, projectRoot, runCommand } from './bench-support.mjs';
import { runSteadyLoad } from './steady-load.mjs';

/**
 * Load on POST /api/signals/views/ in which every request is a new reader, so every request is a
 * counted write: the browser string differs per request (the address cannot, on 127.0.0.1).
 * Essays and languages take turns.
 */

/**
 * @typedef {object} ViewLoadOptions
 * @property {string} baseURL
 * @property {Array<{ slug: string, langs: readonly string[] }>} essays
 * @property {string} runName keeps this run's readers apart from every other run's
 * @property {number} duration seconds
 */

/**
 * @typedef {object} ViewLoadOutcome
 * @property {number} sent requests written to a connection
 * @property {number} answered
 * @property {number} failed answers other than 200, and requests that failed
 * @property {number} counted 200 answers with `counted: true`
 * @property {number} uncounted 200 answers with `counted: false` (a new reader's never are)
 * @property {number} viewsPerSecond answers to new readers per second of the whole run
 * @property {{ p50: number, p99: number }} latency milliseconds
 */

const browser = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** @param {ViewLoadOptions} options */
function createViewRequests({ baseURL, essays, runName }) {
  const bodies = essays.flatMap(({ slug, langs }) => langs.map((lang) => JSON.stringify({ essay: slug, lang })));
  const answers = { counted: 0, uncounted: 0 };
  return {
    url: `${baseURL}/api/signals/views/`,
    answers,
    getUserAgent: (/** @type {number} */ index) => `${browser} reader/${runName}-${index}`,
    getBody: (/** @type {number} */ index) => bodies[index % bodies.length] ?? '',
    readAnswer(/** @type {number} */ status, /** @type {string} */ body) {
      if (status !== 200) return;
      if (JSON.parse(body).counted === true) answers.counted += 1;
      else answers.uncounted += 1;
    },
  };
}

/**
 * A view request of one reader.
 * @param {string} userAgent
 * @param {string} body
 * @returns {RequestInit}
 */
function createViewInit(userAgent, body) {
  return { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': userAgent }, body };
}

/**
 * Views as fast as the server answers them, from `connections` connections at once (a closed loop).
 * @param {ViewLoadOptions & { connections: number, amount?: number }} options
 * @returns {Promise<ViewLoadOutcome>}
 */
export async function recordViews(options) {
  const requests = createViewRequests(options);
  let sent = 0;
  const result = await runAutocannon({
    url: requests.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration }),
    requests: [
      {
        // Called once for each request autocannon writes, just before it writes it.
        setupRequest: (request) => {
          const index = sent++;
          return { ...request, headers: { ...request.headers, 'user-agent': requests.getUserAgent(index) }, body: requests.getBody(index) };
        },
        onResponse: (status, body) => requests.readAnswer(status, String(body)),
      },
    ],
  });
  const answered = result['2xx'] + result.non2xx;
  return {
    sent,
    answered,
    failed: result.non2xx + result.errors + result.timeouts,
    ...requests.answers,
    viewsPerSecond: result.requests.average,
    latency: { p50: result.latency.p50, p99: result.latency.p99 },
  };
}

/**
 * @typedef {object} SteadyViewOptions
 * @property {number} rate requests per second
 * @property {number} [startAt] epoch milliseconds; default now
 * @property {{ from: number, seconds: number }} [controlSlices] when set, time is cut into slices of
 *   `seconds` from `from` (epoch ms), and in the even ones (0, 2, 4…, and before `from`) every
 *   request is the same reader's view of the same essay again: the same route and the same work,
 *   but not counted, so nothing new is stored. A comment load running at the same time then meets
 *   the same requests with and without counting, under the same state of the machine.
 */

/**
 * Views at a steady rate, each sent on time whatever the answers before it.
 * @param {ViewLoadOptions & SteadyViewOptions} options
 * @returns {Promise<ViewLoadOutcome>}
 */
export async function recordViewsSteadily(options) {
  const requests = createViewRequests(options);
  const { controlSlices } = options;
  const isControlTime = (/** @type {number} */ sentAt) =>
    controlSlices !== undefined && isEvenSlice(sentAt, controlSlices.from, controlSlices.seconds * 1000);
  const repeatedView = { url: requests.url, init: createViewInit(`${browser} reader/${options.runName}-repeated`, requests.getBody(0)) };
  const result = await runSteadyLoad({
    rate: options.rate,
    duration: options.duration,
    startAt: options.startAt,
    planRequest: (index, sentAt) =>
      isControlTime(sentAt)
        ? repeatedView
        : { url: requests.url, init: createViewInit(requests.getUserAgent(index), requests.getBody(index)) },
    readAnswer: requests.readAnswer,
  });
  const { sent, answered, failed, requestsPerSecond: viewsPerSecond, latency } = result;
  return { sent, answered, failed, ...requests.answers, viewsPerSecond, latency };
}

/**
 * Whether `at` falls in an even slice of time (0, 2, 4…, and every one before `from`).
 * @param {number} at epoch milliseconds
 * @param {number} from
 * @param {number} sliceMilliseconds
 */
export function isEvenSlice(at, from, sliceMilliseconds) {
  return at < from || Math.floor((at - from) / sliceMilliseconds) % 2 === 0;
}

/**
 * recordViewsSteadily in a process of its own: sending and answering views then cannot delay the
 * timing of another load run from this process.
 * @param {ViewLoadOptions & SteadyViewOptions} options
 * @returns {Promise<ViewLoadOutcome>}
 */
export async function recordViewsSteadilyInChildProcess(options) {
  const { exitCode, stdout } = await runCommand(nodeBinary, [fileURLToPath(import.meta.url), JSON.stringify(options)], {
    cwd: projectRoot,
  });
  if (exitCode !== 0) throw new Error(`the view load process exited with ${exitCode}`);
  return /** @type {ViewLoadOutcome} */ (parseLastJsonLine(stdout).result);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await recordViewsSteadily(JSON.parse(process.argv[2] ?? '{}')))}\n`);
}
