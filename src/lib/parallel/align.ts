/** A row of the parallel view: a block of each version, or one block standing alone. */
export interface AlignedRow<Left, Right> {
  left?: Left;
  right?: Right;
}

/**
 * Pairs two sequences of keyed blocks. Blocks whose keys match pair up, in order (the longest
 * common subsequence of keys, so one block out of place cannot unpair the rest); every other
 * block gets a row of its own where it stands, left-only rows before right-only ones between
 * two pairs. Nothing is dropped: each block of either sequence is in exactly one row.
 */
export function alignByKey<Left extends { key: string }, Right extends { key: string }>(
  left: readonly Left[],
  right: readonly Right[],
): AlignedRow<Left, Right>[] {
  // common(i, j): how many keys left[i…] and right[j…] have in common, in order.
  const width = right.length + 1;
  const table = new Array<number>((left.length + 1) * width).fill(0);
  const common = (i: number, j: number) => table[i * width + j] ?? 0;
  for (let i = left.length - 1; i >= 0; i -= 1) {
    for (let j = right.length - 1; j >= 0; j -= 1) {
      table[i * width + j] = left[i]?.key === right[j]?.key ? common(i + 1, j + 1) + 1 : Math.max(common(i + 1, j), common(i, j + 1));
    }
  }

  const rows: AlignedRow<Left, Right>[] = [];
  let pendingRight: Right[] = [];
  const flushRight = () => {
    rows.push(...pendingRight.map((block) => ({ right: block })));
    pendingRight = [];
  };
  let i = 0;
  let j = 0;
  for (let leftBlock = left[i], rightBlock = right[j]; leftBlock && rightBlock; leftBlock = left[i], rightBlock = right[j]) {
    if (leftBlock.key === rightBlock.key) {
      flushRight();
      rows.push({ left: leftBlock, right: rightBlock });
      i += 1;
      j += 1;
    } else if (common(i + 1, j) >= common(i, j + 1)) {
      rows.push({ left: leftBlock });
      i += 1;
    } else {
      pendingRight.push(rightBlock);
      j += 1;
    }
  }
  rows.push(...left.slice(i).map((block) => ({ left: block })));
  pendingRight.push(...right.slice(j));
  flushRight();
  return rows;
}
