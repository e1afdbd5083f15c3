import { describe, expect, it } from 'vitest';
import { buildChartFigure, getDefaultChartType } from '../../src/lib/charts/chart-model.ts';
import { withAlpha } from '../../src/lib/charts/colors.ts';
import { markSlot, splitAtSlots } from '../../src/lib/charts/text-parts.ts';
import { createDataset } from './support/datasets.ts';

describe('buildChartFigure', () => {
  const dataset = createDataset();

  it('labels dates and formats numbers as Chinese readers say them', () => {
    const { payload } = buildChartFigure(dataset, { locale: 'zh', seriesIds: ['views'] });
    expect(payload.labels).toEqual(['1月14日', '1月15日', '1月16日']);
    expect(payload.tooltipLines[0]).toEqual(['浏览量：1.2万', '浏览量：3.2万', '浏览量：1.7亿']);
    expect(payload.announcements[0]).toEqual(['1月14日：1.2万', '1月15日：3.2万', '1月16日：1.7亿']);
  });

  it('labels dates and formats numbers as English readers say them', () => {
    const { payload } = buildChartFigure(dataset, { locale: 'en', seriesIds: ['views'] });
    expect(payload.labels).toEqual(['Jan 14', 'Jan 15', 'Jan 16']);
    expect(payload.tooltipLines[0]).toEqual(['Views: 12K', 'Views: 32K', 'Views: 170M']);
    expect(payload.announcements[0]).toEqual(['Jan 14: 12K', 'Jan 15: 32K', 'Jan 16: 170M']);
  });

  it('names the series in announcements when there are several, and says where data is missing', () => {
    const { payload, legend } = buildChartFigure(dataset, { locale: 'zh' });
    expect(payload.announcements[1]).toEqual(['笔记，1月14日：40', '笔记，1月15日：无数据', '笔记，1月16日：3921']);
    expect(payload.series[1]?.values).toEqual([40, null, 3921]);
    expect(legend).toEqual([
      { name: '浏览量', colorIndex: 0 },
      { name: '笔记', colorIndex: 1 },
    ]);
  });

  it('summarises the chart for its accessible name: title, range, highest point', () => {
    expect(buildChartFigure(dataset, { locale: 'zh', seriesIds: ['views'] }).summary).toBe(
      '标签每日浏览量，1月14日至1月16日；浏览量最高：1月16日，1.7亿',
    );
    expect(buildChartFigure(dataset, { locale: 'en', seriesIds: ['views'] }).summary).toBe(
      'Daily views under a tag, Jan 14 to Jan 16; Views highest: Jan 16, 170M',
    );
  });

  it('says so when the numbers are illustrative', () => {
    const figure = buildChartFigure(
      createDataset((raw) => Object.assign(raw, { illustrative: true })),
      { locale: 'en', seriesIds: ['views'] },
    );
    expect(figure.isIllustrative).toBe(true);
    expect(figure.summary).toMatch(/; Illustrative, not measured$/);
    expect(figure.table.seriesHeaders).toEqual(['Views (illustrative)']);
  });

  it('gives the table every value in full, with long dates and annotations', () => {
    const { table } = buildChartFigure(dataset, { locale: 'en' });
    expect(table.xHeader).toBe('Date');
    expect(table.rows.map((row) => [row.header, ...row.cells.map((cell) => cell.text), row.annotation])).toEqual([
      ['January 14, 2025', '12,000', '40', undefined],
      ['January 15, 2025', '32,000', 'no data', 'Wave begins'],
      ['January 16, 2025', '170,000,000', '3,921', undefined],
    ]);
  });

  it('writes the Chinese table in myriads, as the chart beside it does, and still in full', () => {
    const { table } = buildChartFigure(dataset, { locale: 'zh' });
    expect(table.rows.map((row) => row.cells.map((cell) => cell.text))).toEqual([
      ['1.2万', '40'],
      ['3.2万', '无数据'],
      ['1.7亿', '3921'],
    ]);
  });

  it('places annotations by index and links the downloads', () => {
    const figure = buildChartFigure(dataset, { locale: 'zh', type: 'bar' });
    expect(figure.payload.annotations).toEqual([{ index: 1, label: '开始涌入' }]);
    expect(figure.downloads).toEqual({ csv: '/data/tag-daily.zh.csv', json: '/data/tag-daily.json' });
    expect(figure.source).toMatchObject({ retrieved: '2025年1月16日', retrievedIso: '2025-01-16' });
  });

  it('links no downloads for data that is not a file under /data/', () => {
    expect(buildChartFigure(dataset, { locale: 'en', hasDownloads: false }).downloads).toBeUndefined();
  });

  it('picks line for dates and bar for categories when no type is given', () => {
    expect(getDefaultChartType(dataset)).toBe('line');
    expect(buildChartFigure(dataset, { locale: 'zh' }).payload.type).toBe('line');
  });
});

describe('chart helpers', () => {
  it('turns a hex colour into rgba for the canvas', () => {
    expect(withAlpha('#1d1d1f', 0.1)).toBe('rgba(29, 29, 31, 0.1)');
    expect(withAlpha(' #fff', 0.5)).toBe('rgba(255, 255, 255, 0.5)');
    expect(withAlpha('rebeccapurple', 0.5)).toBe('rebeccapurple');
  });

  it('turns the colour a browser computes into rgba, replacing any alpha it had', () => {
    expect(withAlpha('rgb(232, 230, 225)', 0.1)).toBe('rgba(232, 230, 225, 0.1)');
    expect(withAlpha('rgba(58, 154, 217, 0.5)', 0.18)).toBe('rgba(58, 154, 217, 0.18)');
    expect(withAlpha('rgb(58 154 217 / 50%)', 0.18)).toBe('rgba(58, 154, 217, 0.18)');
  });

  it('splits a translation around the elements placed in it', () => {
    expect(splitAtSlots(`来源：${markSlot('source')}，${markSlot('date')}检索`)).toEqual([
      { text: '来源：' },
      { slot: 'source' },
      { text: '，' },
      { slot: 'date' },
      { text: '检索' },
    ]);
  });
});
