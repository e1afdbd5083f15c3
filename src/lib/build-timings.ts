import { appendFileSync } from 'node:fs';

/**
 * Records how long a build step took in the file named by DUIZHAO_BUILD_TIMINGS, one JSON line
 * per call, for the benchmarks; does nothing when the variable is not set.
 */
export function recordBuildTiming(step: string, milliseconds: number): void {
  const file = process.env.DUIZHAO_BUILD_TIMINGS;
  if (file) appendFileSync(file, `${JSON.stringify({ step, milliseconds })}\n`);
}
