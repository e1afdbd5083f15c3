import { defineHastPlugin, type HastPluginEntry } from 'satteri';

/**
 * `![alt](src "caption")` on a line of its own becomes a figure with that caption,
 * so authors get captioned figures from plain Markdown.
 */
export const figureCaptions: HastPluginEntry = defineHastPlugin({
  name: 'duizhao-figure-captions',
  element: {
    filter: ['p'],
    visit(node) {
      const children = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
      const [image] = children;
      if (children.length !== 1 || image?.type !== 'element' || image.tagName !== 'img') return undefined;
      const caption = image.properties.title;
      if (typeof caption !== 'string' || caption.trim() === '') return undefined;
      const { title: _title, ...properties } = image.properties;
      return {
        type: 'element',
        tagName: 'figure',
        properties: {},
        children: [
          { ...image, properties },
          { type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: caption }] },
        ],
      };
    },
  },
});
