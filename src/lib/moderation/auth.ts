import { createHmac, randomBytes } from 'node:crypto';
import { getSenderKey } from '../http/client-address.ts';
import { getDummyHash, maxPasswordLength, verifyPassword } from './password.ts';
import { maxAccountNameLength, type ModerationStore } from './store.ts';
import { createSessionToken, getCsrfToken, hashSessionToken } from './tokens.ts';

/**
 * How sign-in attempts are limited within `windowMs`. The hard limits count attempts from one
 * network (an IPv4 address or IPv6 /64): at one name, and at any names. Attempts at a name from
 * everywhere only slow it down (`maxDelayMs` at most), so an attacker elsewhere can make a
 * moderator wait a few seconds but cannot lock them out.
 */
export interface SignInLimits {
  /** Attempts at one name from one network. */
  perName: number;
  /** Attempts at any names from one network. */
  perAddress: number;
  windowMs: number;
  /** The longest wait an attempt gets for the name's recent attempts from anywhere. */
  maxDelayMs: number;
}

export const defaultSignInLimits: SignInLimits = { perName: 5, perAddress: 20, windowMs: 15 * 60_000, maxDelayMs: 3000 };
/** Sessions last this long after the last request (sliding expiry). */
export const sessionLifetimeMs = 8 * 60 * 60_000;

type SignInResult =
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
  /** Waits before a password is checked while the name has recent attempts; tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ModerationAuth {
  signIn(name: string, password: string, address: string): Promise<SignInResult>;
  /** The live session of a cookie token, extended when half of it has passed. */
  getSession(token: string | undefined): Promise<ActiveSession | undefined>;
  signOut(session: ActiveSession): Promise<void>;
}

/** At most `max` characters (code points); a huge string is refused by its length before it is walked. */
function isWithinLength(text: string, max: number): boolean {
  return text.length <= max || (text.length <= max * 2 && [...text].length <= max);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createModerationAuth(options: ModerationAuthOptions): ModerationAuth {
  const { store, secret } = options;
  const limits = options.limits ?? defaultSignInLimits;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;

  return {
    async signIn(name, password, address) {
      // No account has a longer name: refused unlooked-up and unrecorded, with the answer a wrong
      // password gets (so a 100 MB name costs a comparison, not a row).
      if (!isWithinLength(name, maxAccountNameLength) || name === '') return { ok: false, code: 'invalidCredentials' };
      const at = now();
      const keys = getSignInKeys(name, address, secret);
      const reservation = await store.reserveSignInAttempt(
        { id: randomBytes(16).toString('base64url'), ...keys, at },
        {
          perPair: limits.perName,
          perAddress: limits.perAddress,
          windowMs: limits.windowMs,
        },
      );
      if (!reservation.isReserved) {
        return {
          ok: false,
          code: 'throttled',
          retryAfterSeconds: Math.max(1, Math.ceil((reservation.retryAt.getTime() - at.getTime()) / 1000)),
        };
      }
      // The name's other attempts in the window, from anywhere (this one's reservation aside).
      const others = (await store.countAccountAttempts(keys.accountKey, new Date(at.getTime() - limits.windowMs))) - 1;
      if (others > 0) await sleep(Math.min(250 * 2 ** (others - 1), limits.maxDelayMs));
      const moderator = await store.getModerator(name);
      // Unknown names cost a hash too, so the answer's timing does not tell which names exist. A
      // password longer than any that can be set is wrong for every name, and is not hashed.
      const isValid =
        isWithinLength(password, maxPasswordLength) && (await verifyPassword(password, moderator?.passwordHash ?? (await getDummyHash())));
      // A failed attempt keeps its reservation: that row is the failure the limits count.
      if (!moderator || !isValid) return { ok: false, code: 'invalidCredentials' };
      // A success gives its reservation back, so a moderator may sign in as often as they like,
      // and forgives the typos before it from the same network (not anyone else's failures).
      await store.clearSignInAttempts(keys.pairKey);
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

/**
 * The keys attempts are counted under: HMACs with the runtime secret of the name (NFC, lower case),
 * of the sender's network, and of both. The database never holds what was typed.
 */
export function getSignInKeys(name: string, address: string, secret: string): { accountKey: string; addressKey: string; pairKey: string } {
  const normalizedName = name.normalize('NFC').toLowerCase();
  const network = getSenderKey(address);
  const hash = (value: string) => createHmac('sha256', secret).update(value).digest('base64url').slice(0, 32);
  return {
    accountKey: hash(`sign-in:account:${normalizedName}`),
    addressKey: hash(`sign-in:address:${network}`),
    pairKey: hash(`sign-in:pair:${JSON.stringify([normalizedName, network])}`),
  };
}
