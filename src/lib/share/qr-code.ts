import { correction, generate } from 'lean-qr';

/** Light modules around the code, as the QR specification asks, so scanners find its edges. */
const quietZone = 4;

export interface QrCodeDrawing {
  /** Width and height of the drawing in modules, quiet zone included. */
  size: number;
  /** One SVG path for all dark modules: a rectangle per horizontal run. */
  path: string;
}

/** A QR code of `text` as an SVG path, made at build time (medium error correction). */
export function drawQrCode(text: string): QrCodeDrawing {
  const code = generate(text, { minCorrectionLevel: correction.M });
  const commands: string[] = [];
  for (let y = 0; y < code.size; y += 1) {
    let x = 0;
    while (x < code.size) {
      if (!code.get(x, y)) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < code.size && code.get(x, y)) x += 1;
      commands.push(`M${start + quietZone} ${y + quietZone}h${x - start}v1h-${x - start}z`);
    }
  }
  return { size: code.size + 2 * quietZone, path: commands.join('') };
}
