import { listMarkdownLinks } from '../comments/markdown.ts';

export const spamRuleKinds = ['phrase', 'domain'] as const;
export type SpamRuleKind = (typeof spamRuleKinds)[number];

/** A word, phrase or link domain a moderator listed; a new comment that matches goes straight to Spam. */
export interface SpamRule {
  id: number;
  kind: SpamRuleKind;
  /** As normalizeSpamRule left it. */
  value: string;
  createdBy: string;
  createdAt: Date;
}

/** The longest rule, in characters. */
export const maxSpamRuleLength = 200;

/**
 * The name the audit log gives decisions nobody made by hand. Parentheses cannot be in an account
 * name (accountNamePattern), so no moderator can be mistaken for it.
 */
export const automaticModerator = '(automatic)';

export function isSpamRuleKind(value: unknown): value is SpamRuleKind {
  return typeof value === 'string' && (spamRuleKinds as readonly string[]).includes(value);
}

/** How text is compared: NFKC (full-width letters are letters), lower case, white space folded. */
function foldText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * A rule as stored, or undefined when there is nothing to match: a phrase folded like the text it is
 * compared with; a domain reduced to its host name (a pasted URL or "www." prefix is forgiven), in
 * the ASCII form links carry.
 */
export function normalizeSpamRule(kind: SpamRuleKind, raw: string): string | undefined {
  const text = foldText(raw);
  if (text === '' || [...text].length > maxSpamRuleLength) return undefined;
  if (kind === 'phrase') return text;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`).hostname.replace(/^www\./, '');
    return host.includes('.') && !host.startsWith('.') ? host : undefined;
  } catch {
    return undefined;
  }
}

const letterOrDigit = /[\p{L}\p{N}]/u;
const latinLetterOrDigit = /[A-Za-z0-9]/;

/**
 * A phrase is found where it stands as words: "ass" is not in "class". The boundary only applies
 * where the phrase itself starts or ends with a Latin letter or digit; Chinese has no spaces between
 * words, so a Chinese phrase matches wherever it is written.
 */
function containsPhrase(text: string, phrase: string): boolean {
  const needsStart = latinLetterOrDigit.test(phrase[0] ?? '');
  const needsEnd = latinLetterOrDigit.test(phrase.at(-1) ?? '');
  for (let index = text.indexOf(phrase); index !== -1; index = text.indexOf(phrase, index + 1)) {
    const before = text[index - 1] ?? ' ';
    const after = text[index + phrase.length] ?? ' ';
    if ((!needsStart || !letterOrDigit.test(before)) && (!needsEnd || !letterOrDigit.test(after))) return true;
  }
  return false;
}

/**
 * A domain written in the text: not inside a longer name ("notspam.example", "spam.example.org"),
 * but as a subdomain's end ("shop.spam.example").
 */
function containsDomain(text: string, domain: string): boolean {
  const nameCharacter = /[\p{L}\p{N}-]/u;
  for (let index = text.indexOf(domain); index !== -1; index = text.indexOf(domain, index + 1)) {
    const before = text[index - 1] ?? ' ';
    const after = text.slice(index + domain.length, index + domain.length + 2);
    if (!nameCharacter.test(before) && !nameCharacter.test(after[0] ?? ' ') && !/^\.[\p{L}\p{N}]/u.test(after)) return true;
  }
  return false;
}

function getHost(href: string): string | undefined {
  try {
    return new URL(href).hostname;
  } catch {
    return undefined;
  }
}

/** The first rule a comment matches (its name and its body; domains: its links and their subdomains), if any. */
export function findSpamMatch(rules: readonly SpamRule[], comment: { name: string; body: string }): SpamRule | undefined {
  if (rules.length === 0) return undefined;
  const text = foldText(`${comment.name}\n${comment.body}`);
  const hosts = listMarkdownLinks(comment.body).flatMap((href) => getHost(href) ?? []);
  return rules.find((rule) =>
    rule.kind === 'phrase'
      ? containsPhrase(text, rule.value)
      : hosts.some((host) => host === rule.value || host.endsWith(`.${rule.value}`)) || containsDomain(text, rule.value),
  );
}

/** The audit log's detail naming a rule: for a comment a rule sent to Spam, and for a rule added or removed. */
export function describeSpamRule(rule: Pick<SpamRule, 'kind' | 'value'>): string {
  return `${rule.kind}: ${rule.value}`;
}

/** The rule an audit detail names (describeSpamRule), to show it in the reader's words; undefined for any other detail. */
export function readSpamRuleDescription(detail: string | null): Pick<SpamRule, 'kind' | 'value'> | undefined {
  const separator = detail?.indexOf(': ') ?? -1;
  if (!detail || separator < 0) return undefined;
  const kind = detail.slice(0, separator);
  return isSpamRuleKind(kind) ? { kind, value: detail.slice(separator + 2) } : undefined;
}
