import { fileURLToPath } from 'node:url';
import { defineHastPlugin, type HastPluginEntry } from 'satteri';

/** Every image in an essay must say what it shows: the build stops at one without alt text. */
export const requireImageAlt: HastPluginEntry = (context) => {
  const file = context.fileURL ? fileURLToPath(context.fileURL) : 'a Markdown file';
  return defineHastPlugin({
    name: 'duizhao-require-image-alt',
    element: {
      filter: ['img'],
      visit(node) {
        const alt = node.properties.alt;
        if (typeof alt !== 'string' || alt.trim() === '') {
          throw new Error(`${file}: the image "${String(node.properties.src)}" has no alt text. Write ![what it shows](…).`);
        }
      },
    },
  });
};
