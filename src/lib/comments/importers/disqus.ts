import { ImportFileError, readSourceDate, type ImportProblem, type ParsedSource, type SourceComment } from './mapping.ts';
import { parseXmlExport, readAttribute, readList, readText } from './xml-source.ts';

/**
 * Reads a Disqus XML export: threads carry the page URL, posts point at their thread and parent by
 * `dsq:id`. A post is the site's own when Disqus marks it `isFromModerator`, or its author's email or
 * username is one of `authorIdentities` (Disqus exports often leave the moderator flag out).
 */
export function parseDisqusExport(text: string, authorIdentities: ReadonlySet<string> = new Set()): ParsedSource {
  const root = parseXmlExport(text, 'Disqus', ['disqus.thread', 'disqus.post']).disqus;
  if (typeof root !== 'object' || root === null) throw new ImportFileError('Not a Disqus export: no <disqus> root element.');
  const threadUrls = new Map(
    readList(root, 'thread').map((thread) => [readAttribute(thread, undefined, 'dsq:id'), readText(thread, 'link')]),
  );
  const comments: SourceComment[] = [];
  const problems: ImportProblem[] = [];
  readList(root, 'post').forEach((post, index) => {
    const sourceId = readAttribute(post, undefined, 'dsq:id');
    const threadId = readAttribute(post, 'thread', 'dsq:id');
    const url = threadUrls.get(threadId);
    if (!sourceId || url === undefined) {
      problems.push({
        sourceId: sourceId || `post ${index + 1}`,
        reason: !sourceId ? 'missing dsq:id' : `thread ${threadId || '(none)'} is not in the file`,
      });
      return;
    }
    const author = post.author;
    const email = readText(author, 'email');
    const username = readText(author, 'username');
    const isTrue = (name: string) => readText(post, name) === 'true';
    comments.push({
      sourceId,
      url,
      parentSourceId: readAttribute(post, 'parent', 'dsq:id') || null,
      name: readText(author, 'name') || username,
      email: email || null,
      body: readText(post, 'message'),
      bodyFormat: 'html',
      createdAt: readSourceDate(readText(post, 'createdAt')),
      // Deleted posts come in rejected: never shown, but their replies keep their place in the thread.
      status: isTrue('isSpam')
        ? 'spam'
        : isTrue('isDeleted')
          ? 'rejected'
          : readText(post, 'isApproved') === 'false'
            ? 'pending'
            : 'approved',
      isAuthor:
        isTrue('isFromModerator') ||
        (email !== '' && authorIdentities.has(email.toLowerCase())) ||
        (username !== '' && authorIdentities.has(username.toLowerCase())),
    });
  });
  return { comments, problems, skipped: [] };
}
