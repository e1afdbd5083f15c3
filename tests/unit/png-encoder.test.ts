import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../src/lib/share/png-encoder.ts';

/** The chunks of a PNG file, each with whether its checksum holds. */
function readChunks(png: Buffer) {
  const chunks: Array<{ type: string; data: Buffer; isIntact: boolean }> = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    chunks.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: typeAndData.subarray(4),
      isIntact: png.readUInt32BE(offset + 8 + length) === crc32(typeAndData),
    });
    offset += length + 12;
  }
  return chunks;
}

describe('PNG encoder', () => {
  it('writes a PNG whose rows decode back to the pixels', () => {
    const [width, height] = [3, 2];
    const pixels = Uint8Array.from({ length: width * height * 4 }, (_, index) => (index * 37) % 256);
    const png = encodePng(pixels, width, height);
    expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const chunks = readChunks(png);
    expect(chunks.map((chunk) => [chunk.type, chunk.isIntact])).toEqual([
      ['IHDR', true],
      ['IDAT', true],
      ['IEND', true],
    ]);
    const header = chunks[0]?.data ?? Buffer.alloc(0);
    expect([header.readUInt32BE(0), header.readUInt32BE(4), ...header.subarray(8)]).toEqual([3, 2, 8, 6, 0, 0, 0]);
    const rows = inflateSync(chunks[1]?.data ?? Buffer.alloc(0));
    const stride = width * 4;
    for (let y = 0; y < height; y += 1) {
      expect(rows[y * (stride + 1)]).toBe(0);
      expect([...rows.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))]).toEqual([...pixels.subarray(y * stride, (y + 1) * stride)]);
    }
  });

  it('refuses pixels that do not fill the size', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(/2×2/);
  });
});
