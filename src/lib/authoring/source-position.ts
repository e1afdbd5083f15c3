/** A 1-based line and column, as editors and `path:line:col` links count them. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Maps character offsets in a text to lines and columns. */
export function createLineIndex(text: string): (offset: number) => SourcePosition {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
  };
}
