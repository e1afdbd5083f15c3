import { describe, expect, it } from 'vitest';
import { alignByKey } from '../../src/lib/parallel/align.ts';

const blocks = (...keys: string[]) => keys.map((key) => ({ key, text: key }));
const describeRows = (rows: ReturnType<typeof alignByKey<{ key: string }, { key: string }>>) =>
  rows.map(({ left, right }) => `${left?.key ?? '—'} | ${right?.key ?? '—'}`);

describe('aligning two versions', () => {
  it('pairs blocks with the same key, in order', () => {
    const rows = alignByKey(blocks('intro', 'section:1', 'section:2'), blocks('intro', 'section:1', 'section:2'));
    expect(describeRows(rows)).toEqual(['intro | intro', 'section:1 | section:1', 'section:2 | section:2']);
    expect(rows[1]?.left).toEqual({ key: 'section:1', text: 'section:1' });
  });

  it('gives a block only one version has a row of its own, where it stands', () => {
    const rows = alignByKey(blocks('intro', 'section:1', 'section:2'), blocks('intro', 'section:1', 'section:2', 'section:3'));
    expect(describeRows(rows)).toEqual(['intro | intro', 'section:1 | section:1', 'section:2 | section:2', '— | section:3']);
    expect(describeRows(alignByKey(blocks('intro', 'section:1'), blocks('section:1')))).toEqual(['intro | —', 'section:1 | section:1']);
  });

  it('comes back in step at a shared marker after an extra section', () => {
    // en has an extra section before the marker; the sections after it count again from the marker.
    const zh = blocks('intro', 'section:1', 'section:2', 'align:ban', 'align:ban/section:1');
    const en = blocks('intro', 'section:1', 'section:2', 'section:3', 'align:ban', 'align:ban/section:1');
    expect(describeRows(alignByKey(zh, en))).toEqual([
      'intro | intro',
      'section:1 | section:1',
      'section:2 | section:2',
      '— | section:3',
      'align:ban | align:ban',
      'align:ban/section:1 | align:ban/section:1',
    ]);
  });

  it('puts the left version’s unmatched blocks before the right’s between two pairs', () => {
    expect(describeRows(alignByKey(blocks('a', 'x', 'b'), blocks('a', 'y', 'z', 'b')))).toEqual([
      'a | a',
      'x | —',
      '— | y',
      '— | z',
      'b | b',
    ]);
  });

  it('keeps the longest run of pairs when markers are in a different order, dropping nothing', () => {
    const left = blocks('intro', 'align:a', 'align:b', 'align:c');
    const right = blocks('intro', 'align:c', 'align:a', 'align:b');
    const rows = alignByKey(left, right);
    expect(rows.filter((row) => row.left && row.right).map((row) => row.left?.key)).toEqual(['intro', 'align:a', 'align:b']);
    expect(rows.flatMap((row) => (row.left ? [row.left.key] : []))).toEqual(left.map((block) => block.key));
    expect(rows.flatMap((row) => (row.right ? [row.right.key] : []))).toEqual(right.map((block) => block.key));
  });

  it('handles empty versions', () => {
    expect(alignByKey([], [])).toEqual([]);
    expect(describeRows(alignByKey(blocks('intro'), []))).toEqual(['intro | —']);
    expect(describeRows(alignByKey([], blocks('intro')))).toEqual(['— | intro']);
  });
});
