import { mapLocales, type Locale } from '../../i18n/locales.ts';
import type { SqlDriver, SqlStatement } from '../db/sql-driver.ts';
import type { SenderLimit } from '../http/rate-limit.ts';

/** What a reader sees in an essay's byline. */
export interface SignalCounts {
  views: number;
  collects: number;
}

/** One view, already reduced to what may be stored: no address, no browser string. */
interface ViewRecord {
  essay: string;
  lang: Locale;
  /** YYYY-MM-DD, UTC. */
  day: string;
  /** HMAC of the day's salt over the reader's network, browser and essay (see visitor.ts). */
  visitorHash: string;
  /** HMAC of the day's salt over the reader's network and essay, for `ViewLimit`. */
  networkHash?: string;
}

/** At most `perNetwork` counted views of one essay from one network (a `networkHash`) a day. */
export interface ViewLimit {
  perNetwork: number;
}

/** What became of a view: counted, or not because its visitor was counted that day, or its network's day is full. */
type ViewOutcome = 'counted' | 'seenToday' | 'networkLimit';

export interface CollectChange {
  essay: string;
  lang: Locale;
  /** Keyed hash of the random id the reader's device made up. */
  readerHash: string;
  /** Keyed hash of the sender's network, for the abuse limit. */
  senderHash: string;
  isCollected: boolean;
  at: Date;
}

/** Views of one essay version on one day. */
export interface DailyViews {
  essay: string;
  lang: Locale;
  day: string;
  views: number;
}

/** Collects made on one day that readers still keep. */
export interface DailyCollects {
  essay: string;
  lang: Locale;
  day: string;
  collects: number;
}

export interface EssaySignalTotals {
  essay: string;
  views: Record<Locale, number>;
  collects: Record<Locale, number>;
}

/** View and collect storage in domain terms; no SQL leaves this module. */
export interface SignalStore {
  /**
   * The salt of `day`, storing `candidate` first if the day has none (the first caller wins). When
   * this call started the day, earlier days' salts and visitors are deleted.
   */
  getDaySalt(day: string, candidate: string): Promise<string>;
  /** Deletes salts and visitor hashes of days before `day`. */
  forgetVisitorsBefore(day: string): Promise<void>;
  /** Deletes the abuse limit's records of collect actions made before `before`; returns how many. */
  forgetCollectActionsBefore(before: Date): Promise<number>;
  /**
   * Counts the view unless its visitor was counted that day already or, given a limit and a
   * network hash, its network has had `limit.perNetwork` views of the essay counted that day.
   */
  recordView(view: ViewRecord, limit?: ViewLimit): Promise<ViewOutcome>;
  getCounts(essay: string): Promise<SignalCounts>;
  /**
   * Collects or un-collects, unless the sender is over `limit` (checked and counted in one
   * transaction). Asking for the state the reader is already in changes nothing and is allowed.
   */
  setCollected(change: CollectChange, limit?: SenderLimit): Promise<{ isAllowed: boolean }>;
  isCollected(essay: string, readerHash: string): Promise<boolean>;
  /** Views per essay, language and day from `sinceDay` on (oldest first); one essay or all. */
  listDailyViews(filter: { sinceDay: string; essay?: string }): Promise<DailyViews[]>;
  /** Kept collects per essay, language and the day they were made, from `since` on. */
  listDailyCollects(filter: { since: Date; essay?: string }): Promise<DailyCollects[]>;
  /** All-time views and current collects of every essay that has either. */
  listTotals(): Promise<EssaySignalTotals[]>;
}

const noLimitParams = [null, null] as const;

/** The abuse limit as a guard every statement of a collect change repeats, so they agree inside one transaction. */
const underLimitSql = '(?4 IS NULL OR (SELECT count(*) FROM collect_actions WHERE sender_hash = ?3 AND at > ?5) < ?4)';

export function createSignalStore(driver: SqlDriver): SignalStore {
  async function forgetVisitorsBefore(day: string) {
    await driver.batch([
      { sql: 'DELETE FROM view_visitors WHERE day < ?1', params: [day] },
      { sql: 'DELETE FROM view_networks WHERE day < ?1', params: [day] },
      { sql: 'DELETE FROM view_salts WHERE day < ?1', params: [day] },
    ]);
  }

  return {
    async getDaySalt(day, candidate) {
      const { changes } = await driver.run('INSERT OR IGNORE INTO view_salts (day, salt) VALUES (?1, ?2)', [day, candidate]);
      if (changes > 0) await forgetVisitorsBefore(day);
      const row = await driver.get<{ salt: string }>('SELECT salt FROM view_salts WHERE day = ?1', [day]);
      if (!row) throw new Error(`the view salt of ${day} was stored but cannot be read back`);
      return row.salt;
    },

    forgetVisitorsBefore,

    async forgetCollectActionsBefore(before) {
      return (await driver.run('DELETE FROM collect_actions WHERE at < ?1', [before.getTime()])).changes;
    },

    async recordView({ essay, lang, day, visitorHash, networkHash }, limit) {
      const perNetwork = networkHash !== undefined && limit ? limit.perNetwork : null;
      // ?1 essay, ?2 lang, ?3 day, ?4 visitor, ?5 network, ?6 views a network may add. The view counts
      // only while the visitor is new and its network under the limit; the network's tally and the
      // visitor are written in the same transaction, under the same condition.
      const params = [essay, lang, day, visitorHash, perNetwork === null ? null : (networkHash ?? null), perNetwork];
      const isCountable = `NOT EXISTS (SELECT 1 FROM view_visitors WHERE day = ?3 AND visitor_hash = ?4)
        AND (?6 IS NULL OR coalesce((SELECT views FROM view_networks WHERE day = ?3 AND network_hash = ?5), 0) < ?6)`;
      const statements: SqlStatement[] = [
        {
          sql: `INSERT INTO essay_views (essay, lang, day, views)
                SELECT ?1, ?2, ?3, 1 WHERE ${isCountable}
                ON CONFLICT (essay, day, lang) DO UPDATE SET views = views + 1`,
          params,
        },
      ];
      if (perNetwork !== null) {
        statements.push({
          sql: `INSERT INTO view_networks (day, network_hash, views)
                SELECT ?3, ?5, 1 WHERE ${isCountable}
                ON CONFLICT (day, network_hash) DO UPDATE SET views = views + 1`,
          params,
        });
      }
      statements.push({ sql: 'INSERT OR IGNORE INTO view_visitors (day, visitor_hash) VALUES (?1, ?2)', params: [day, visitorHash] });
      // Views come often and are read later: they may wait to share a commit with other writes.
      const results = await driver.batch(statements, { mayWait: true });
      if ((results[0]?.changes ?? 0) > 0) return 'counted';
      return (results.at(-1)?.changes ?? 0) > 0 ? 'networkLimit' : 'seenToday';
    },

    async getCounts(essay) {
      const row = await driver.get<SignalCounts>(
        `SELECT (SELECT coalesce(sum(views), 0) FROM essay_views WHERE essay = ?1) AS views,
                (SELECT count(*) FROM essay_collects WHERE essay = ?1) AS collects`,
        [essay],
      );
      return { views: Number(row?.views ?? 0), collects: Number(row?.collects ?? 0) };
    },

    async setCollected({ essay, lang, readerHash, senderHash, isCollected, at }, limit) {
      const [max, since] = limit ? [limit.max, limit.since.getTime()] : noLimitParams;
      // ?1 essay, ?2 reader, ?3 sender, ?4 max, ?5 since, ?6 at, ?7 lang; each statement binds the prefix it uses.
      const params = [essay, readerHash, senderHash, max, since, at.getTime(), lang];
      const change: SqlStatement = isCollected
        ? {
            sql: `INSERT INTO essay_collects (essay, reader_hash, lang, created_at)
                  SELECT ?1, ?2, ?7, ?6 WHERE ${underLimitSql}
                  ON CONFLICT (essay, reader_hash) DO NOTHING`,
            params,
          }
        : { sql: `DELETE FROM essay_collects WHERE essay = ?1 AND reader_hash = ?2 AND ${underLimitSql}`, params: params.slice(0, 5) };
      const statements: SqlStatement[] = [change];
      if (limit) {
        statements.unshift({ sql: 'DELETE FROM collect_actions WHERE at <= ?1', params: [since] });
        statements.push({
          sql: `INSERT INTO collect_actions (sender_hash, at) SELECT ?3, ?6 WHERE ${underLimitSql}`,
          params: params.slice(0, 6),
        });
      }
      const results = await driver.batch(statements);
      return { isAllowed: !limit || (results.at(-1)?.changes ?? 0) > 0 };
    },

    async isCollected(essay, readerHash) {
      return (
        (await driver.get('SELECT 1 AS found FROM essay_collects WHERE essay = ?1 AND reader_hash = ?2', [essay, readerHash])) !== undefined
      );
    },

    async listDailyViews({ sinceDay, essay }) {
      const rows = await driver.all<DailyViews>(
        `SELECT essay, lang, day, views FROM essay_views
         WHERE day >= ?1 AND (?2 IS NULL OR essay = ?2)
         ORDER BY day, essay, lang`,
        [sinceDay, essay ?? null],
      );
      return rows.map((row) => ({ ...row, views: Number(row.views) }));
    },

    async listDailyCollects({ since, essay }) {
      const rows = await driver.all<DailyCollects>(
        `SELECT essay, lang, strftime('%Y-%m-%d', created_at / 1000, 'unixepoch') AS day, count(*) AS collects
         FROM essay_collects
         WHERE created_at >= ?1 AND (?2 IS NULL OR essay = ?2)
         GROUP BY essay, lang, day
         ORDER BY day, essay, lang`,
        [since.getTime(), essay ?? null],
      );
      return rows.map((row) => ({ ...row, collects: Number(row.collects) }));
    },

    async listTotals() {
      const rows = await driver.all<{ essay: string; lang: Locale; kind: 'views' | 'collects'; total: number }>(
        `SELECT essay, lang, 'views' AS kind, sum(views) AS total FROM essay_views GROUP BY essay, lang
         UNION ALL
         SELECT essay, lang, 'collects' AS kind, count(*) AS total FROM essay_collects GROUP BY essay, lang`,
      );
      const byEssay = new Map<string, EssaySignalTotals>();
      for (const row of rows) {
        let totals = byEssay.get(row.essay);
        if (!totals) {
          totals = { essay: row.essay, views: mapLocales(() => 0), collects: mapLocales(() => 0) };
          byEssay.set(row.essay, totals);
        }
        totals[row.kind][row.lang] += Number(row.total);
      }
      return [...byEssay.values()].sort((a, b) => a.essay.localeCompare(b.essay));
    },
  };
}
