import { datasetSchema } from '../../../src/lib/charts/dataset-schema.ts';

export { datasetSchema };

/** A small valid dataset as an author would write it; tests change one thing at a time. */
export function createRawDataset() {
  return {
    id: 'tag-daily',
    title: { zh: '标签每日浏览量', en: 'Daily views under a tag' },
    description: { zh: '三天的数字。', en: 'Three days of figures.' },
    source: { name: { zh: '作者记录', en: "The author's log" }, url: 'https://example.org/log', retrieved: '2025-01-16' },
    unit: { zh: '次', en: 'views' },
    x: { type: 'date', values: ['2025-01-14', '2025-01-15', '2025-01-16'] },
    series: [
      { id: 'views', name: { zh: '浏览量', en: 'Views' }, values: [12_000, 32_000, 170_000_000] },
      { id: 'notes', name: { zh: '笔记', en: 'Posts' }, values: [40, null, 3921] },
    ],
    annotations: [{ x: '2025-01-15', label: { zh: '开始涌入', en: 'Wave begins' } }],
  };
}

export function createDataset(change: (raw: ReturnType<typeof createRawDataset>) => void = () => {}) {
  const raw = createRawDataset();
  change(raw);
  return datasetSchema.parse(raw);
}
