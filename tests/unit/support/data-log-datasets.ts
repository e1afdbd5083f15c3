import type { DatasetInput } from '../../../src/lib/charts/dataset-schema.ts';

/** Three days of two series, with a gap and an annotation, as an author would write the file. */
export function createDailyDataset(): DatasetInput {
  return {
    id: 'tag-daily',
    title: { zh: '标签每日浏览量', en: 'Daily views under a tag' },
    description: { zh: '三天的数字。', en: 'Three days of figures.' },
    source: { name: { zh: '作者记录', en: "The author's log" }, retrieved: '2025-01-16' },
    unit: { zh: '次', en: 'views' },
    x: { type: 'date', values: ['2025-01-14', '2025-01-16', '2025-01-18'] },
    series: [
      { id: 'views', name: { zh: '浏览量', en: 'Views' }, values: [12_000, 32_000, 170_000] },
      { id: 'notes', name: { zh: '笔记', en: 'Posts' }, values: [40, null, 3921] },
    ],
    annotations: [{ x: '2025-01-16', label: { zh: '开始涌入', en: 'Wave begins' } }],
  };
}

/** Two markets on a category axis. */
export function createCategoryDataset(): DatasetInput {
  return {
    id: 'markets',
    title: { zh: '两个市场', en: 'Two markets' },
    description: { zh: '两个数字。', en: 'Two figures.' },
    source: { name: { zh: '报告', en: 'A report' }, retrieved: '2025-01-16' },
    unit: { zh: '人', en: 'people' },
    x: {
      type: 'category',
      values: [
        { id: 'us', zh: '美国', en: 'US' },
        { id: 'brazil', zh: '巴西', en: 'Brazil' },
      ],
    },
    series: [{ id: 'users', name: { zh: '用户', en: 'Users' }, values: [170_000_000, 60_000_000] }],
  };
}
