import { describe, expect, it } from 'vitest';
import { getTranslator } from '../../src/i18n/translator.ts';
import {
  renderCommentBody,
  renderCommentList,
  type CommentViewOptions,
  type ViewElement,
  type ViewNode,
} from '../../src/lib/comments/comment-view.ts';
import { countMarkdownLinks, renderMarkdown, type MarkdownNode } from '../../src/lib/comments/markdown.ts';
import { commentInputSchema, describeIssues, type PublicThreadJson } from '../../src/lib/comments/schema.ts';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';

const allowedTags = new Set(['p', 'br', 'em', 'strong', 'a', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li']);
const allowedAttributes = new Set(['href', 'rel', 'start']);
const rel = 'nofollow ugc noopener';

function elements(nodes: readonly (MarkdownNode | ViewNode)[]): ViewElement[] {
  return nodes.flatMap((node) => (typeof node === 'string' ? [] : [node as ViewElement, ...elements(node.children)]));
}

function text(nodes: readonly (MarkdownNode | ViewNode)[]): string {
  return nodes.map((node) => (typeof node === 'string' ? node : node.tag === 'br' ? '\n' : text(node.children))).join('');
}

/** What a hostile comment may never become: an element outside the subset, an attribute outside the list, an href that is not http(s) or mailto. */
function expectSafe(nodes: readonly MarkdownNode[]) {
  for (const element of elements(nodes)) {
    expect(allowedTags.has(element.tag), element.tag).toBe(true);
    for (const name of Object.keys(element.attributes)) expect(allowedAttributes.has(name), name).toBe(true);
    if (element.tag === 'a') {
      expect(element.attributes.href).toMatch(/^(?:https?:\/\/|mailto:)/);
      expect(element.attributes.rel).toBe(rel);
    }
  }
}

const link = (href: string, children: MarkdownNode[]): MarkdownNode => ({ tag: 'a', attributes: { href, rel }, children });
const tag = (name: string, children: MarkdownNode[], attributes: Record<string, string> = {}) =>
  ({ tag: name, attributes, children }) as MarkdownNode;

describe('Markdown in comments: the subset', () => {
  it('renders emphasis, links, inline code, code blocks, quotes, lists and paragraphs', () => {
    expect(renderMarkdown('*a* **b** ***c*** `x < y` [site](https://example.com/a?b=1&c=2)')).toEqual([
      tag('p', [
        tag('em', ['a']),
        ' ',
        tag('strong', ['b']),
        ' ',
        tag('em', [tag('strong', ['c'])]),
        ' ',
        tag('code', ['x < y']),
        ' ',
        link('https://example.com/a?b=1&c=2', ['site']),
      ]),
    ]);
    expect(renderMarkdown('> 引用\n\n- 一\n- 二\n\n3. three\n4. four\n\n```\nlet a = 1;\n```')).toEqual([
      tag('blockquote', [tag('p', ['引用'])]),
      tag('ul', [tag('li', ['一']), tag('li', ['二'])]),
      tag('ol', [tag('li', ['three']), tag('li', ['four'])], { start: '3' }),
      tag('pre', [tag('code', ['let a = 1;'])]),
    ]);
  });

  it('keeps a line break a line break and a blank line a new paragraph, as readers typed them', () => {
    expect(renderMarkdown('第一行\n第二行\n\n新段落')).toEqual([tag('p', ['第一行', tag('br', []), '第二行']), tag('p', ['新段落'])]);
  });

  it('links addresses found in the text as plain-text comments did (http, https, www.), and written mailto: links, but not bare names or e-mail addresses', () => {
    const nodes = renderMarkdown('见 https://example.com/a?q=1&r=2。 www.example.org readme.md a@b.example [信](mailto:a@b.example)');
    expect(elements(nodes).filter((element) => element.tag === 'a')).toEqual([
      link('https://example.com/a?q=1&r=2', ['https://example.com/a?q=1&r=2']),
      link('https://www.example.org/', ['www.example.org']),
      link('mailto:a@b.example', ['信']),
    ]);
    expect(text(nodes)).toContain('readme.md a@b.example');
  });

  it('ends a found address at a quote, as plain text did: the rest is text', () => {
    expect(renderMarkdown('https://example.com/"onmouseover="alert(1)')).toEqual([
      tag('p', [link('https://example.com/', ['https://example.com/']), '"onmouseover="alert(1)']),
    ]);
  });

  it('has no headings, images, tables, rules, raw HTML or entities: they stay the text that was typed', () => {
    const typed = '# 标题\n\n![猫](https://example.com/cat.png)\n\n| a | b |\n|---|---|\n\n---\n\n<b>bold</b> &lt;i&gt; &amp;';
    const nodes = renderMarkdown(typed);
    expectSafe(nodes);
    expect(elements(nodes).map((element) => element.tag)).not.toContain('img');
    const shown = text(nodes);
    for (const part of ['# 标题', '| a | b |', '---', '<b>bold</b>', '&lt;i&gt; &amp;']) expect(shown).toContain(part);
  });

  it('counts only the links readers will see, so the per-comment limit holds for Markdown links too', () => {
    expect(countMarkdownLinks('[a](https://a.example) <https://b.example> https://c.example `https://d.example` [e](javascript:x)')).toBe(
      3,
    );
    const parsed = commentInputSchema.safeParse({
      essay: 'e',
      lang: 'zh',
      name: '读者',
      body: '[1](https://a.example) [2](https://b.example) [3](https://c.example) [4](https://d.example)',
    });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error?.issues ?? [], {})).toEqual([{ field: 'body', code: 'tooManyLinks' }]);
  });
});

describe('Markdown in comments: hostile input', () => {
  const payloads = [
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](jav&#x61;script:alert(1))',
    '[x](javascript&colon;alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](%6Aavascript:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '<javascript:alert(1)>',
    'javascript:alert(1)',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<data:text/html,<script>alert(1)</script>>',
    '[x][evil]\n\n[evil]: javascript:alert(1)',
    '[x][evil]\n\n[evil]: data:text/html,hi "title"',
    '[x](//evil.example/path)',
    '[x](/relative)',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '[x](https://ok.example/"onmouseover="alert(1))',
    '![x](javascript:alert(1))',
    '![x](https://example.com/x.png" onerror="alert(1))',
    '`<script>alert(1)</script>`',
    '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```',
    '    <iframe src="javascript:alert(1)">',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<svg/onload=alert(1)>',
    '***<script>*__nested__*</script>***',
    '**[*x*](javascript:alert(1))**',
    '[**x**](https://ok.example)',
    '> <script>alert(1)</script>\n> - [x](javascript:alert(1))',
    '[x](https://ok.example)<!-- -->',
    '\u0000[x](javascript:alert(1))',
  ];

  it.each(payloads)('renders %j as the subset only, every link http(s) or mailto', (payload) => {
    const nodes = renderMarkdown(payload);
    expectSafe(nodes);
    // Whatever was not made a safe element is text; script never is an element or an href.
    expect(JSON.stringify(elements(nodes).map((element) => element.attributes))).not.toMatch(/javascript|vbscript|data:/i);
  });

  it('keeps HTML in code as the text it is', () => {
    expect(renderMarkdown('`<b>x</b>`')).toEqual([tag('p', [tag('code', ['<b>x</b>'])])]);
    expect(renderMarkdown('```\n<script>alert(1)</script>\n```')).toEqual([tag('pre', [tag('code', ['<script>alert(1)</script>'])])]);
  });

  it('survives deep nesting and long runs of markup quickly, without throwing', () => {
    const started = performance.now();
    for (const hostile of [
      '>'.repeat(5000) + ' x',
      '*'.repeat(5000),
      '['.repeat(5000) + 'x',
      '- '.repeat(2500) + 'x',
      '`'.repeat(5000),
      '_a'.repeat(2500),
    ]) {
      const nodes = renderMarkdown(hostile);
      expectSafe(nodes);
      const depth = (list: readonly MarkdownNode[]): number =>
        Math.max(0, ...list.map((node) => (typeof node === 'string' ? 0 : 1 + depth(node.children))));
      expect(depth(nodes)).toBeLessThanOrEqual(25);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('plain-text comments written before Markdown', () => {
  const t = getTranslator('zh');
  const typed = '*不是强调*\n1. 不是列表\n> 不是引用\n[不是链接](https://example.com) <b>原样</b> https://example.com/a';

  it('come out of an older database as plain, and show exactly as before: one paragraph, literal text, the old links', async () => {
    const driver = createSqliteDriver(':memory:');
    // The database as it was before migration 0008 (no format column), with a comment in it.
    await migrate(
      driver,
      commentMigrations.filter((migration) => migration.id < 8),
    );
    await driver.run(
      `INSERT INTO comments (id, essay, lang, parent_id, name, email, body, is_private, is_author, status, ip_hash, created_at)
       VALUES ('old', 'essay-a', 'zh', NULL, '读者', NULL, ?1, 0, 0, 'approved', NULL, 0)`,
      [typed],
    );
    await migrate(driver, commentMigrations);
    const [stored] = await createCommentStore(driver).listPublicComments('essay-a');
    expect(stored?.format).toBe('plain');
    const body = renderCommentBody({ body: typed, format: stored!.format, lang: 'zh' });
    expect(body).toEqual({
      tag: 'p',
      attributes: { class: 'comment-body', lang: 'zh-Hans' },
      children: [
        '*不是强调*',
        { tag: 'br', attributes: {}, children: [] },
        '1. 不是列表',
        { tag: 'br', attributes: {}, children: [] },
        '> 不是引用',
        { tag: 'br', attributes: {}, children: [] },
        '[不是链接](',
        { tag: 'a', attributes: { href: 'https://example.com/', rel }, children: ['https://example.com'] },
        ') <b>原样</b> ',
        { tag: 'a', attributes: { href: 'https://example.com/a', rel }, children: ['https://example.com/a'] },
      ],
    });
    await driver.close();
  });

  it('render the same whether the API answer names the format or predates it', () => {
    const thread: PublicThreadJson = {
      id: 'c',
      lang: 'zh',
      name: 'n',
      body: typed,
      isAuthor: false,
      createdAt: '2025-01-01T00:00:00.000Z',
      replies: [],
    };
    const options: CommentViewOptions = { locale: 'zh', t: (key, values) => t(key, values), commentsPagePath: '/zh/essays/e/comments/' };

    expect(renderCommentList([{ ...thread, format: 'plain' }], options)).toEqual(renderCommentList([thread], options));
    expect(renderCommentList([{ ...thread, format: 'markdown' }], options)).not.toEqual(renderCommentList([thread], options));
  });
});
