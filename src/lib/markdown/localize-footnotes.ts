import { defineHastPlugin, type HastPluginEntry } from 'satteri';
import { localeKeys, type Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';

/** The locale of a content file named `…/zh.mdx` or `…/en.mdx`. */
function getFileLocale(fileURL: URL | undefined): Locale | undefined {
  const name = fileURL?.pathname
    .split('/')
    .pop()
    ?.replace(/\.mdx?$/, '');
  return localeKeys.find((key) => key === name);
}

/**
 * GFM footnotes come out labelled in English; this gives each essay version the
 * labels of its own language (the heading screen readers announce, the back-links).
 */
export const localizeFootnotes: HastPluginEntry = (context) => {
  const locale = getFileLocale(context.fileURL);
  if (!locale) return null;
  const t = getTranslator(locale);
  return defineHastPlugin({
    name: 'duizhao-localize-footnotes',
    element: {
      filter: ['h2', 'a'],
      visit(node, ctx) {
        if (node.tagName === 'h2' && node.properties.id === 'footnote-label') {
          return { ...node, children: [{ type: 'text', value: t('essay.footnotes') }] };
        }
        if (node.tagName === 'a' && 'dataFootnoteBackref' in node.properties) {
          ctx.setProperty(node, 'ariaLabel', t('essay.footnoteBack'));
        }
        return undefined;
      },
    },
  });
};
