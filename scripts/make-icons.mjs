// Draws the app's two Teams icons (color 192x192, outline 32x32) as PNG files in appPackage/.
// Run once when the design changes: node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c;
  const table = [];
  for (let n = 0; n < 256; n++) {
    c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  let crc = 0xffffffff;
  for (const b of buf) crc = table[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x + 0.5, y + 0.5);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A calendar page with a tick: the review is booked and done. Coordinates on a 0..1 square.
function glyph(u, v) {
  const inRect = (x0, y0, x1, y1) => u >= x0 && u <= x1 && v >= y0 && v <= y1;
  const page = inRect(0.2, 0.26, 0.8, 0.8);
  const header = inRect(0.2, 0.26, 0.8, 0.38);
  const rings = inRect(0.33, 0.18, 0.39, 0.3) || inRect(0.61, 0.18, 0.67, 0.3);
  const distToSegment = (ax, ay, bx, by) => {
    const dx = bx - ax,
      dy = by - ay;
    const t = Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(u - (ax + t * dx), v - (ay + t * dy));
  };
  const tick =
    Math.min(distToSegment(0.33, 0.58, 0.45, 0.7), distToSegment(0.45, 0.7, 0.68, 0.46)) < 0.045;
  return { page, header, rings, tick };
}

const color = png(192, (x, y) => {
  const { page, header, rings, tick } = glyph(x / 192, y / 192);
  if (tick && page) return [16, 110, 190, 255];
  if (rings) return [255, 255, 255, 255];
  if (header) return [200, 225, 245, 255];
  if (page) return [255, 255, 255, 255];
  return [16, 110, 190, 255];
});
const outline = png(32, (x, y) => {
  const u = x / 32,
    v = y / 32;
  const { page, rings, tick } = glyph(u, v);
  const inner = u > 0.27 && u < 0.73 && v > 0.33 && v < 0.73;
  const border = page && !inner;
  return border || rings || tick ? [255, 255, 255, 255] : [0, 0, 0, 0];
});
writeFileSync(new URL('../appPackage/color.png', import.meta.url), color);
writeFileSync(new URL('../appPackage/outline.png', import.meta.url), outline);
console.log('appPackage/color.png and appPackage/outline.png written');
