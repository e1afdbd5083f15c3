// @ts-check

/**
 * Requests at a steady rate, each sent on time whether or not the ones before it were answered
 * (an open loop, as independent readers arrive). autocannon's rate limit instead sends each
 * connection's share of a second back to back and then waits for the next second: bursts at full
 * speed, which would measure an overload part of each second rather than a steady rate.
 */

/** @typedef {{ url: string, init: RequestInit }} PlannedRequest */

/**
 * @template {PlannedRequest} Planned
 * @typedef {object} SteadyLoadOptions
 * @property {number} rate requests per second
 * @property {number} duration seconds
 * @property {number} [startAt] when to send the first request (epoch milliseconds); default and at the latest now
 * @property {(index: number, sentAt: number) => Planned} planRequest the index-th request (from 0), sent at `sentAt` (epoch ms)
 * @property {(status: number, body: string, request: Planned) => void} [readAnswer]
 */

/**
 * @typedef {object} SteadyLoadResult
 * @property {number} sent
 * @property {number} answered every answer, whatever its status
 * @property {number} failed answers outside 2xx, and requests that got no answer
 * @property {number} requestsPerSecond answers per second of the run
 * @property {{ p50: number, p99: number }} latency milliseconds
 * @property {Array<{ sentAt: number, milliseconds: number }>} samples every answer's send time (epoch ms) and latency
 */

/** Sends are checked this often; the requests due since the last check go out together. */
const tickMilliseconds = 5;

/**
 * The value below which `share` of the values lie (nearest rank); 0 for none.
 * @param {readonly number[]} values
 * @param {number} share e.g. 0.99
 */
export function getPercentile(values, share) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

const sleep = (/** @type {number} */ milliseconds) => new Promise((resolve) => setTimeout(resolve, Math.max(0, milliseconds)));

/**
 * @template {PlannedRequest} Planned
 * @param {SteadyLoadOptions<Planned>} options
 * @returns {Promise<SteadyLoadResult>}
 */
export async function runSteadyLoad({ rate, duration, startAt: plannedStart = Date.now(), planRequest, readAnswer }) {
  // Started late, the load begins now instead of catching up with a burst.
  const startAt = Math.max(plannedStart, Date.now());
  /** @type {SteadyLoadResult['samples']} */
  const samples = [];
  /** @type {Promise<void>[]} */
  const inFlight = [];
  let failed = 0;
  let sent = 0;

  async function send(/** @type {number} */ index) {
    const sentAt = Date.now();
    const request = planRequest(index, sentAt);
    const startedAt = performance.now();
    try {
      const response = await fetch(request.url, request.init);
      const body = await response.text();
      samples.push({ sentAt, milliseconds: performance.now() - startedAt });
      if (response.status < 200 || response.status > 299) failed += 1;
      readAnswer?.(response.status, body, request);
    } catch {
      failed += 1;
    }
  }

  await sleep(startAt - Date.now());
  const endsAt = startAt + duration * 1000;
  while (Date.now() < endsAt) {
    const due = Math.floor(((Date.now() - startAt) / 1000) * rate);
    while (sent < due) inFlight.push(send(sent++));
    await sleep(tickMilliseconds);
  }
  await Promise.all(inFlight);
  const latencies = samples.map((sample) => sample.milliseconds);
  return {
    sent,
    answered: samples.length,
    failed,
    requestsPerSecond: samples.length / ((Date.now() - startAt) / 1000),
    latency: { p50: getPercentile(latencies, 0.5), p99: getPercentile(latencies, 0.99) },
    samples,
  };
}
