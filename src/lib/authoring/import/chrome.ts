import type { MdastNode } from 'satteri';
import { getPlainText } from '../mdx-document.ts';

/** What the page around an article is known by, to tell its chrome from the article. */
export interface ChromeContext {
  /** The author's profile link from the metadata: an image linking there is an avatar row. */
  authorUrl: string | undefined;
  /** Links already known to be advertising (from link cards and 🔗 lines). */
  adUrls: ReadonlySet<string>;
}

type Paragraph = Extract<MdastNode, { type: 'paragraph' }>;

/** A paragraph as the chrome rules see it. */
export interface ChromeLine {
  /** The paragraph's children without blank text between them. */
  children: MdastNode[];
  /** The paragraph's text, spaces collapsed. */
  text: string;
  /** The text outside links and images, spaces collapsed. */
  outsideLinks: string;
  links: Extract<MdastNode, { type: 'link' }>[];
  linkUrls: string[];
  /** Every child is a link. */
  isOnlyLinks: boolean;
  /** `alt url` of every image, linked or not. */
  images: string[];
}

function isBlank(node: MdastNode): boolean {
  return node.type === 'text' && node.value.trim() === '';
}

function isImage(node: MdastNode): boolean {
  return node.type === 'image' || node.type === 'imageReference';
}

function isLinkedImage(node: MdastNode): boolean {
  return node.type === 'link' && node.children.filter((child) => !isBlank(child)).every(isImage) && node.children.some(isImage);
}

function readImages(node: MdastNode): string[] {
  if (node.type === 'image') return [`${node.alt ?? ''} ${node.url}`];
  if (node.type === 'imageReference') return [node.alt ?? ''];
  return 'children' in node && Array.isArray(node.children) ? (node.children as MdastNode[]).flatMap(readImages) : [];
}

function readChromeLine(node: Paragraph): ChromeLine {
  const children = node.children.filter((child) => !isBlank(child));
  const links = children.filter((child): child is Extract<MdastNode, { type: 'link' }> => child.type === 'link');
  const flatten = (text: string) => text.replace(/\s+/g, ' ').trim();
  return {
    children,
    text: flatten(getPlainText(node)),
    outsideLinks: flatten(children.map((child) => (child.type === 'link' || isImage(child) ? ' ' : getPlainText(child))).join('')),
    links,
    linkUrls: links.map((link) => link.url),
    isOnlyLinks: children.length > 0 && links.length === children.length,
    images: children.flatMap(readImages),
  };
}

const statsUnits =
  '评论|浏览|阅读|收藏|点赞|赞|分享|转发|分钟|次|views?|comments?|collects?|likes?|shares?|reads?|min(?:ute)?s?(?:\\s+read)?';
const statsTokenPattern = new RegExp(`\\d[\\d,.]*\\s*(?:${statsUnits})|(?:${statsUnits})\\s*\\d[\\d,.]*`, 'giu');
/** What separates the buttons of a row: bars, dots, slashes, commas, emoji. */
const rowSeparatorPattern = /[\s|｜·•/、,，:：\p{Extended_Pictographic}\uFE0F]/gu;
const shareLabelPattern = /^(分享到|分享至|分享给|分享|转发到|转发至|share( (this|on|to|via|it))?)[:：]?$/i;
const shareTextPattern = /^(分享到|分享至|转发到|share (on|to)\b)/i;
const shareUrlPattern =
  /(service\.weibo\.com\/share|twitter\.com\/(intent|share)|x\.com\/intent|facebook\.com\/sharer|linkedin\.com\/share|connect\.qq\.com|sns\.qzone\.qq\.com|reddit\.com\/submit|t\.me\/share|wa\.me\/\?|mailto:\?)/i;
const socialNamePattern =
  /^(新浪)?微博$|^微信$|^朋友圈$|^QQ(空间)?$|^豆瓣$|^知乎$|^小红书$|^抖音$|^B站$|^bilibili$|^weibo$|^wechat$|^twitter$|^x$|^facebook$|^linkedin$|^reddit$|^telegram$|^whatsapp$|^instagram$|^threads$|^mastodon$|^youtube$|^github$|^rss$|^e-?mail$|^邮件$|^复制链接$|^copy link$/i;
const qrPattern = /二维码|qr[\s_-]?code|qrcode/i;
const qrPhrasePattern =
  /扫码关注|扫一扫关注|扫码(加|添加|进|入)|扫描(下方|上方)?二维码|长按(识别)?二维码|识别(图中)?二维码|scan (the |this |our |my )?qr/i;
const followPattern = /^(欢迎)?关注(我们|我|本号|作者|公众号)|^follow (us|me)\b/i;
const socialWordPattern =
  /公众号|微博|微信|视频号|小红书|抖音|知乎|twitter|instagram|facebook|linkedin|mastodon|youtube|weibo|wechat|newsletter|rss/i;
const likeTokenPattern = /点个赞|点个在看|点赞|在看|分享|转发|收藏|喜欢|赞|\b(?:like|share|save)\b/giu;

/**
 * The one table of the source site's chrome: each rule names what it drops and how a paragraph
 * is recognised as it. The first rule that matches gives the reason the report shows.
 */
export const chromeRules: readonly { reason: string; matches: (line: ChromeLine, context: ChromeContext) => boolean }[] = [
  {
    reason: 'author avatar row',
    matches: (line, context) =>
      line.children.every(isLinkedImage) && context.authorUrl !== undefined && line.linkUrls.includes(context.authorUrl),
  },
  {
    reason: 'advertising link',
    matches: (line, context) =>
      (line.children.every(isLinkedImage) && line.linkUrls.some((url) => context.adUrls.has(url))) ||
      (line.isOnlyLinks && line.links.length === 1 && (line.text.startsWith('🔗') || line.linkUrls.some((url) => context.adUrls.has(url)))),
  },
  {
    reason: 'QR code',
    matches: (line) =>
      (line.images.some((image) => qrPattern.test(image)) && line.outsideLinks.length <= 40) ||
      (line.text.length <= 80 && qrPhrasePattern.test(line.text)),
  },
  { reason: 'follow button row', matches: (line) => line.text.length <= 60 && /(?:^|\s|\+\s?)(关注|follow)$/i.test(line.text) },
  { reason: 'date line', matches: (line) => /^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/.test(line.text) },
  {
    reason: 'stats line',
    matches: (line) =>
      line.text !== '' &&
      line.text.replace(statsTokenPattern, '').replace(/[\uFE0F\s|·•,，、👁💬⭐❤]/gu, '') === '' &&
      (line.text.match(statsTokenPattern)?.length ?? 0) >= 2,
  },
  {
    reason: 'share links',
    matches: (line) => {
      if (line.links.length === 0) return false;
      const label = line.outsideLinks.replace(rowSeparatorPattern, ' ').trim();
      const linkTexts = line.links.map((link) => getPlainText(link).trim());
      if (label !== '' && shareLabelPattern.test(label)) return true;
      if (!line.isOnlyLinks) return false;
      if (line.links.every((link, index) => shareTextPattern.test(linkTexts[index] ?? '') || shareUrlPattern.test(link.url))) return true;
      return line.links.length >= 2 && linkTexts.every((text) => socialNamePattern.test(text));
    },
  },
  { reason: 'share prompt', matches: (line) => /^(微信)?扫一扫(分享)?$|^分享$|^share$/i.test(line.text) },
  {
    reason: 'follow-us line',
    matches: (line) =>
      (line.text.length <= 120 &&
        followPattern.test(line.text) &&
        (line.links.length > 0 || socialWordPattern.test(line.text) || line.text.length <= 12)) ||
      (line.text.length <= 80 && /关注/.test(line.text) && /公众号|下载\s*app/i.test(line.text)),
  },
  {
    reason: 'reward and collect buttons',
    matches: (line) => line.text.length <= 40 && [...line.text.matchAll(/赞赏|打赏|收藏|点赞/g)].length >= 2,
  },
  {
    reason: 'like and 在看 buttons',
    matches: (line) => {
      if (line.text.length > 40) return false;
      const tokens = line.text.match(likeTokenPattern) ?? [];
      const rest = line.text.replace(likeTokenPattern, '').replace(rowSeparatorPattern, '').replace(/\d+/g, '');
      return (tokens.length >= 2 && rest === '') || (/在看/.test(line.text) && tokens.length >= 2);
    },
  },
  {
    reason: 'reprint notice',
    matches: (line) =>
      line.text.length <= 120 &&
      /转载请注明|禁止转载|未经.{0,8}(许可|授权).{0,8}转载|原创发布|版权(所有|归)|all rights reserved|reprinted with permission/i.test(
        line.text,
      ),
  },
  {
    reason: 'tag links (tags come from the metadata)',
    matches: (line) => line.isOnlyLinks && line.links.length >= 2 && line.linkUrls.every((url) => /\/tags?\//.test(url)),
  },
];

/**
 * Why a paragraph is the source site's chrome rather than the article (avatar rows, follow
 * buttons, stats, advertising, share links, QR codes, reward and like buttons), or `undefined` if it is prose.
 */
export function describeChrome(node: MdastNode, context: ChromeContext): string | undefined {
  if (node.type !== 'paragraph') return undefined;
  const line = readChromeLine(node);
  if (line.children.length === 0) return undefined;
  return chromeRules.find((rule) => rule.matches(line, context))?.reason;
}

/** Closing lines of a comment form (“Leave a comment / 留言…”), which a republished essay does not carry. */
export function isCommentPrompt(node: MdastNode): boolean {
  if (node.type !== 'paragraph') return false;
  return /^(leave a (comment|reply)|留言|发表评论|评论区)/i.test(getPlainText(node).trim());
}
