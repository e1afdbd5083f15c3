import { defineHastPlugin, type HastPluginEntry } from 'satteri';
import { localeKeys } from '../../i18n/locales.ts';

/**
 * Gives each `<Callout>` the language of the file it is written in, so its label (信息 / Info)
 * matches its text also where it is shown beside the other language.
 */
export const localizeCallouts: HastPluginEntry = (context) => {
  const name = context.fileURL?.pathname
    .split('/')
    .pop()
    ?.replace(/\.mdx$/, '');
  const locale = localeKeys.find((key) => key === name);
  if (context.sourceFormat !== 'mdx' || !locale || !context.source.includes('<Callout')) return null;
  return defineHastPlugin({
    name: 'duizhao-localize-callouts',
    mdxJsxFlowElement: {
      filter: ['Callout'],
      visit(node) {
        if (node.attributes.some((attribute) => attribute.type === 'mdxJsxAttribute' && attribute.name === 'locale')) return undefined;
        return { ...node, attributes: [...node.attributes, { type: 'mdxJsxAttribute', name: 'locale', value: locale }] };
      },
    },
  });
};
