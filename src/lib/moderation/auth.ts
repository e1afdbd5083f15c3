import { hashSender } from '../comments/client-address.ts';
import { getDummyHash, verifyPassword } from './password.ts';
import type { ModerationStore } from './store.ts';
import { createSessionToken, getCsrfToken, hashSessionToken } from './tokens.ts';

/** How many failed sign-ins are allowed in `windowMs`, per account and per sender address. */
export interface SignInLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export const defaultSignInLimits: SignInLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };
/** Sessions last this long after the last request (sliding expiry). */
export const sessionLifetimeMs = 8 * 60 * 60_000;

export type SignInResult =
  | { ok: true; token: string; moderator: string; expiresAt: Date }
  | { ok: false; code: 'invalidCredentials' }
  | { ok: false; code: 'throttled'; retryAfterSeconds: number };

export interface ActiveSession {
  moderator: string;
  csrfToken: string;
  tokenHash: string;
  expiresAt: Date;
}

export interface ModerationAuthOptions {
  store: ModerationStore;
  secret: string;
  limits?: SignInLimits;
  now?: () => Date;
  /** Waits after a failed sign-in, longer with each failure; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ModerationAuth {
  signIn(name: string, password: string, address: string): Promise<SignInResult>;
  /** The live session of a cookie token, extended when half of it has passed. */
  getSession(token: string | undefined): Promise<ActiveSession | undefined>;
  signOut(session: ActiveSession): Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createModerationAuth(options: ModerationAuthOptions): ModerationAuth {
  const { store, secret } = options;
  const limits = options.limits ?? defaultSignInLimits;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;

  return {
    async signIn(name, password, address) {
      const at = now();
      const since = new Date(at.getTime() - limits.windowMs);
      const accountKey = `account:${name.normalize('NFC').toLowerCase()}`;
      const addressKey = `address:${hashSender(address, secret)}`;
      const [accountFailures, addressFailures] = await Promise.all([store.countFailures(accountKey, since), store.countFailures(addressKey, since)]);
      if (accountFailures >= limits.perAccount || addressFailures >= limits.perAddress) {
        return { ok: false, code: 'throttled', retryAfterSeconds: Math.ceil(limits.windowMs / 1000) };
      }
      const moderator = await store.getModerator(name);
      // Unknown names cost a hash too, so the answer's timing does not tell which names exist.
      const isValid = await verifyPassword(password, moderator?.passwordHash ?? (await getDummyHash()));
      if (!moderator || !isValid) {
        await store.recordFailure([accountKey, addressKey], at);
        await sleep(Math.min(250 * 2 ** accountFailures, 4000));
        return { ok: false, code: 'invalidCredentials' };
      }
      await store.clearFailures(accountKey);
      const token = createSessionToken();
      const expiresAt = new Date(at.getTime() + sessionLifetimeMs);
      await store.createSession(hashSessionToken(token), moderator.name, expiresAt, at);
      await store.addAuditEntry({ at, moderator: moderator.name, action: 'sign-in', commentId: null, detail: null });
      return { ok: true, token, moderator: moderator.name, expiresAt };
    },

    async getSession(token) {
      if (!token || token.length > 200) return undefined;
      const tokenHash = hashSessionToken(token);
      const at = now();
      const session = await store.getSession(tokenHash, at);
      if (!session) return undefined;
      let { expiresAt } = session;
      if (expiresAt.getTime() - at.getTime() < sessionLifetimeMs / 2) {
        expiresAt = new Date(at.getTime() + sessionLifetimeMs);
        await store.extendSession(tokenHash, expiresAt);
      }
      return { moderator: session.moderator, csrfToken: getCsrfToken(token), tokenHash, expiresAt };
    },

    async signOut(session) {
      await store.deleteSession(session.tokenHash);
      await store.addAuditEntry({ at: now(), moderator: session.moderator, action: 'sign-out', commentId: null, detail: null });
    },
  };
}
