import { ImportFileError, readSourceDate, type ImportProblem, type ImportSkip, type ParsedSource, type SourceComment } from './mapping.ts';
import { parseXmlExport, readList, readText } from './xml-source.ts';

// WordPress's comment_approved column: '1', '0', 'spam', 'trash'.
const statuses = { '1': 'approved', '0': 'pending', spam: 'spam', trash: 'rejected' } as const;

function isKnownStatus(value: string): value is keyof typeof statuses {
  return Object.hasOwn(statuses, value);
}

/**
 * Reads a WordPress export (WXR): each `<item>` is a post with its `<link>` and `<wp:comment>`s. A
 * comment is the author's when its user id is that of the post's author (`dc:creator`, looked up in
 * `<wp:author>`). Pingbacks and trackbacks are left out: they are not comments a person wrote here.
 */
export function parseWordpressExport(text: string): ParsedSource {
  const channel = (
    parseXmlExport(text, 'WordPress', ['rss.channel.item', 'rss.channel.item.wp:comment', 'rss.channel.wp:author']).rss as
      Record<string, unknown> | undefined
  )?.channel;
  if (typeof channel !== 'object' || channel === null) throw new ImportFileError('Not a WordPress export: no <rss><channel>.');
  const authorIds = new Map(
    readList(channel, 'wp:author').map((author) => [readText(author, 'wp:author_login'), readText(author, 'wp:author_id')]),
  );
  const comments: SourceComment[] = [];
  const problems: ImportProblem[] = [];
  const skipped: ImportSkip[] = [];
  for (const item of readList(channel, 'item')) {
    const url = readText(item, 'link');
    const postAuthorId = authorIds.get(readText(item, 'dc:creator'));
    for (const comment of readList(item, 'wp:comment')) {
      const sourceId = readText(comment, 'wp:comment_id');
      const type = readText(comment, 'wp:comment_type');
      if (!sourceId) {
        problems.push({ sourceId: '(no id)', url, reason: 'missing wp:comment_id' });
        continue;
      }
      if (type === 'pingback' || type === 'trackback') {
        skipped.push({ sourceId, reason: type });
        continue;
      }
      const approved = readText(comment, 'wp:comment_approved');
      if (!isKnownStatus(approved)) {
        problems.push({ sourceId, url, reason: `unknown wp:comment_approved "${approved}"` });
        continue;
      }
      const parent = readText(comment, 'wp:comment_parent');
      const userId = readText(comment, 'wp:comment_user_id');
      const gmt = readText(comment, 'wp:comment_date_gmt');
      comments.push({
        sourceId,
        url,
        parentSourceId: parent && parent !== '0' ? parent : null,
        name: readText(comment, 'wp:comment_author'),
        email: readText(comment, 'wp:comment_author_email') || null,
        // WordPress keeps line breaks as typed and adds paragraphs only when it shows the comment.
        body: readText(comment, 'wp:comment_content').replace(/\r?\n/g, '<br>'),
        bodyFormat: 'html',
        // Old drafts have a zero GMT date; the local date is then the best there is.
        createdAt: readSourceDate(gmt && !gmt.startsWith('0000') ? gmt : readText(comment, 'wp:comment_date')),
        status: statuses[approved],
        isAuthor: userId !== '' && userId !== '0' && userId === postAuthorId,
      });
    }
  }
  return { comments, problems, skipped };
}
