// The Outlook add-in's ribbon icons (16, 32, 64, 80 and 128 px) as PNG files in appPackage/addin/,
// scaled down from the app's colour icon (appPackage/color.png, 8-bit RGBA) by averaging pixels.
// Run again when the colour icon changes: node scripts/make-addin-icons.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';

const SIZES = [16, 32, 64, 80, 128];
const source = new URL('../appPackage/color.png', import.meta.url);
const outDir = new URL('../appPackage/addin/', import.meta.url);

function crc32(buf) {
  let crc = 0xffffffff;
  for (const b of buf) {
    let c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = c ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Decodes a non-interlaced 8-bit RGBA PNG into { width, height, pixels }. */
function decode(file) {
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 6 || data[12] !== 0)
        throw new Error('color.png must be 8-bit RGBA, not interlaced');
    }
    if (type === 'IDAT') idat.push(data);
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x];
      const left = x >= 4 ? pixels[y * stride + x - 4] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const upLeft = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4] : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  return { width, height, pixels };
}

function encode(size, pixels) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++)
    pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const chunk = (type, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Area-averaged scaling (premultiplied by alpha, so transparent edges stay clean). */
function scale(image, size) {
  const out = Buffer.alloc(size * size * 4);
  const ratio = image.width / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0];
      let weight = 0;
      for (let sy = Math.floor(y * ratio); sy < Math.ceil((y + 1) * ratio); sy++) {
        for (let sx = Math.floor(x * ratio); sx < Math.ceil((x + 1) * ratio); sx++) {
          const wy = Math.min(sy + 1, (y + 1) * ratio) - Math.max(sy, y * ratio);
          const wx = Math.min(sx + 1, (x + 1) * ratio) - Math.max(sx, x * ratio);
          const w = wx * wy;
          const o = (sy * image.width + sx) * 4;
          const a = image.pixels[o + 3] / 255;
          for (let c = 0; c < 3; c++) sum[c] += image.pixels[o + c] * a * w;
          sum[3] += a * w;
          weight += w;
        }
      }
      const o = (y * size + x) * 4;
      const alpha = sum[3] / weight;
      for (let c = 0; c < 3; c++) out[o + c] = alpha > 0 ? Math.round(sum[c] / sum[3]) : 0;
      out[o + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

const image = decode(readFileSync(source));
mkdirSync(outDir, { recursive: true });
for (const size of SIZES) {
  writeFileSync(new URL(`icon-${size}.png`, outDir), encode(size, scale(image, size)));
}
console.log(`wrote ${SIZES.map((s) => `icon-${s}.png`).join(', ')} in appPackage/addin/`);
