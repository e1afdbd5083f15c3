import { describe, expect, it } from 'vitest';
import { readAuditQuery } from '../../src/lib/moderation/audit-query.ts';
import { getQueueHref, readQueueQuery } from '../../src/lib/moderation/queue-view.ts';
import { readSignInProblem } from '../../src/lib/moderation/sign-in-problem.ts';

const params = (search: string) => new URLSearchParams(search);

describe('audit log filters', () => {
  const moderators = ['alice', 'bob'];

  it('applies a moderator in the log and an action the log records; empty means all', () => {
    expect(readAuditQuery(params('moderator=bob&action=reply'), moderators)).toEqual({ moderator: 'bob', action: 'reply' });
    expect(readAuditQuery(params('moderator=&action='), moderators)).toEqual({});
    expect(readAuditQuery(params(''), moderators)).toEqual({});
    expect(readAuditQuery(params('action=sign-in'), moderators)).toEqual({ action: 'sign-in' });
  });

  it('hands unknown values back to be named instead of applying them, cut to 100 characters', () => {
    expect(readAuditQuery(params('moderator=Alice&action=APPROVE'), moderators)).toEqual({
      unknownModerator: 'Alice',
      unknownAction: 'APPROVE',
    });
    expect(readAuditQuery(params('action=toString'), moderators)).toEqual({ unknownAction: 'toString' });
    const long = readAuditQuery(params(`moderator=${'名'.repeat(500)}`), moderators);
    expect(long.unknownModerator).toBe('名'.repeat(100));
    expect(long.moderator).toBeUndefined();
  });

  it('reads the first of repeated values', () => {
    expect(readAuditQuery(params('action=approve&action=nonsense'), moderators)).toEqual({ action: 'approve' });
  });
});

describe('queue filters', () => {
  const catalog = [{ slug: 'alpha', titles: { zh: '甲', en: 'Alpha' } }];

  it('applies a known status, essay and language, and keeps the filters on other tabs', () => {
    const query = readQueueQuery(params('status=spam&essay=alpha&lang-filter=en'), catalog);
    expect(query).toEqual({ status: 'spam', essay: 'alpha', lang: 'en', unknown: {} });
    expect(getQueueHref('zh', query, 'approved')).toBe('/zh/moderate/queue/?status=approved&essay=alpha&lang-filter=en');
  });

  it('shows pending comments on every essay in both languages for values it does not know, and names them', () => {
    expect(readQueueQuery(params('status=archived&essay=gone&lang-filter=fr'), catalog)).toEqual({
      status: 'pending',
      unknown: { status: 'archived', essay: 'gone', lang: 'fr' },
    });
    expect(readQueueQuery(params('status=__proto__&lang-filter=constructor'), catalog)).toEqual({
      status: 'pending',
      unknown: { status: '__proto__', lang: 'constructor' },
    });
    expect(readQueueQuery(params('status=%00&essay=a%0Ab'), catalog).unknown).toEqual({ status: '\uFFFD', essay: 'a\uFFFDb' });
    expect(readQueueQuery(params(''), catalog)).toEqual({ status: 'pending', unknown: {} });
  });
});

describe('sign-in problems', () => {
  it('turns the sign-in answer into what the form says, the wait in whole minutes within the window', () => {
    expect(readSignInProblem(params('error=invalidCredentials'))).toEqual({ code: 'invalidCredentials' });
    expect(readSignInProblem(params('error=throttled&wait=61'))).toEqual({ code: 'throttled', waitMinutes: 2 });
    expect(readSignInProblem(params('error=throttled&wait=99999'))).toEqual({ code: 'throttled', waitMinutes: 15 });
    expect(readSignInProblem(params('error=throttled&wait=-5'))).toEqual({ code: 'throttled', waitMinutes: 15 });
    expect(readSignInProblem(params('error=throttled&wait=NaN'))).toEqual({ code: 'throttled', waitMinutes: 15 });
    expect(readSignInProblem(params('error=other'))).toBeUndefined();
    expect(readSignInProblem(params(''))).toBeUndefined();
  });
});
