import type { SqlDriver } from '../db/sql-driver.ts';
import type { SendMail } from '../email/notifier.ts';
import type { ReadOptions } from '../http/request-body.ts';
import type { SiteConfig } from '../server-config.ts';

/**
 * What differs between the two deployment targets, behind `virtual:duizhao/server-platform`
 * (astro.config.mjs points it at node.ts or cloudflare.ts by DEPLOY_TARGET).
 */
export interface ServerPlatform {
  /** `node`: the embedded default (one process, SQLite file); `cloudflare`: Workers + D1. */
  name: 'node' | 'cloudflare';
  /** The site's database with its schema current. */
  openDatabase(config: SiteConfig): Promise<SqlDriver>;
  /**
   * Gives back a database from openDatabase whose runtime could not be set up, so that the next
   * request opens it afresh; one the server process shares with every request stays open.
   */
  releaseDatabase(driver: SqlDriver): Promise<void>;
  /** Runs work after the answer has gone out: it can neither delay nor fail the answer. */
  runAfterResponse(task: () => Promise<unknown>): void;
  /** Whether timers keep running between requests (a long-lived process), so retries can wait on them. */
  hasBackgroundTimers: boolean;
  /** How routes read request bodies here (see readRequestBody): how much of a refused body is still drained. */
  bodyReading: ReadOptions;
  /** Sends email over SMTP_URL; undefined where SMTP cannot run (a Worker opens no SMTP connections): no email there. */
  createMailSender: ((smtpUrl: string) => SendMail) | undefined;
}
