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

function isBlank(node: MdastNode): boolean {
  return node.type === 'text' && node.value.trim() === '';
}

function meaningfulChildren(node: Paragraph): MdastNode[] {
  return node.children.filter((child) => !isBlank(child));
}

function isImage(node: MdastNode): boolean {
  return node.type === 'image' || node.type === 'imageReference';
}

function isLinkedImage(node: MdastNode): boolean {
  return node.type === 'link' && node.children.filter((child) => !isBlank(child)).every(isImage) && node.children.some(isImage);
}

const statsUnits = '评论|浏览|阅读|收藏|点赞|赞|分享|转发|分钟|次|views?|comments?|collects?|likes?|shares?|reads?|min(?:ute)?s?(?:\\s+read)?';
const statsTokenPattern = new RegExp(`\\d[\\d,.]*\\s*(?:${statsUnits})|(?:${statsUnits})\\s*\\d[\\d,.]*`, 'giu');
const shareTextPattern = /^(分享到|分享至|转发到|share (on|to)\b)/i;
const shareUrlPattern = /(service\.weibo\.com\/share|twitter\.com\/(intent|share)|x\.com\/intent|facebook\.com\/sharer|linkedin\.com\/share|connect\.qq\.com|sns\.qzone\.qq\.com)/i;
const qrPattern = /二维码|qr[\s_-]?code|qrcode/i;

/**
 * Why a paragraph is the source site's chrome rather than the article (avatar rows, follow
 * buttons, stats, advertising, share links, QR codes, reward buttons), or `undefined` if it is prose.
 */
export function describeChrome(node: MdastNode, context: ChromeContext): string | undefined {
  if (node.type !== 'paragraph') return undefined;
  const children = meaningfulChildren(node);
  const text = getPlainText(node).replace(/\s+/g, ' ').trim();
  const links = children.filter((child) => child.type === 'link');
  const onlyLinks = children.length > 0 && links.length === children.length;
  const linkUrls = links.flatMap((link) => (link.type === 'link' ? [link.url] : []));

  if (children.length > 0 && children.every(isLinkedImage)) {
    if (context.authorUrl && linkUrls.includes(context.authorUrl)) return 'author avatar row';
    if (linkUrls.some((url) => context.adUrls.has(url))) return 'advertising link';
  }
  if (children.length > 0 && children.every(isImage)) {
    const images = children.flatMap((child) => (child.type === 'image' ? [`${child.alt ?? ''} ${child.url}`] : []));
    if (images.some((image) => qrPattern.test(image))) return 'QR code image';
  }
  if (text.length <= 60 && /(?:^|\s|\+\s?)(关注|follow)$/i.test(text)) return 'follow button row';
  if (/^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/.test(text)) return 'date line';
  if (text !== '' && text.replace(statsTokenPattern, '').replace(/[\s|·•,，、👁️💬⭐️❤️]/gu, '') === '' && (text.match(statsTokenPattern)?.length ?? 0) >= 2) {
    return 'stats line';
  }
  if (onlyLinks && links.length === 1 && (text.startsWith('🔗') || linkUrls.some((url) => context.adUrls.has(url)))) return 'advertising link';
  if (onlyLinks && links.every((link) => shareTextPattern.test(getPlainText(link).trim()) || (link.type === 'link' && shareUrlPattern.test(link.url)))) {
    return 'share links';
  }
  if (/^(微信)?扫一扫(分享)?$|^分享$|^share$/i.test(text)) return 'share prompt';
  if (text.length <= 40 && [...text.matchAll(/赞赏|打赏|收藏|点赞/g)].length >= 2) return 'reward and collect buttons';
  if (text.length <= 80 && /关注/.test(text) && /公众号|下载\s*app/i.test(text)) return 'follow-us line';
  if (onlyLinks && links.length >= 2 && linkUrls.every((url) => /\/tags?\//.test(url))) return 'tag links (tags come from the metadata)';
  return undefined;
}

/** Closing lines of a comment form (“Leave a comment / 留言…”), which a republished essay does not carry. */
export function isCommentPrompt(node: MdastNode): boolean {
  if (node.type !== 'paragraph') return false;
  return /^(leave a (comment|reply)|留言|发表评论|评论区)/i.test(getPlainText(node).trim());
}
