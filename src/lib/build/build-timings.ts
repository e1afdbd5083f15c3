import { appendFileSync } from 'node:fs';

/**
 * Records how long a build step took, and when it ended (epoch ms), in the file named by
 * DUIZHAO_BUILD_TIMINGS, one JSON line per call, for the benchmarks; does nothing when the
 * variable is not set. Steps that overlap (cards drawn side by side) are measured by their span.
 */
export function recordBuildTiming(step: string, milliseconds: number): void {
  const file = process.env.DUIZHAO_BUILD_TIMINGS;
  if (file) appendFileSync(file, `${JSON.stringify({ step, milliseconds, endedAt: Date.now() })}\n`);
}
