// Draws Burnrate's tray and app icons as PNG files (no image tools needed: a tiny rasteriser with
// 4×4 supersampling and a PNG encoder on node:zlib). Deterministic: the same bytes on every run,
// so the committed files in assets/ only change when this script does.
//
//   node scripts/make-icons.mjs          writes assets/tray/*.png, assets/icon.png, assets/icon-256.png
//
// Tray glyph: a gauge ring whose inner pie fills with the day's health (¼ good, ½ warning, ¾
// critical, full with a knocked-out "!" when exceeded), an empty ring when no budget is set, and
// a ring with "!" when a sync failed. Shapes differ per state, so macOS template images (black +
// alpha only, tinted by the system) stay readable without colour.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const TRAY_STATES = ['good', 'warning', 'critical', 'exceeded', 'none', 'error'];

// ---- PNG encoding ------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buffers) {
  let c = 0xffffffff;
  for (const buf of buffers) for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeBuf = Buffer.from(type, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32([typeBuf, data]));
  return Buffer.concat([len, typeBuf, data, crc]);
}

/** RGBA pixels (Uint8Array, width*height*4) → PNG bytes (8-bit RGBA, no filter, zlib level 9). */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- rasteriser --------------------------------------------------------------------------------

const SS = 4; // samples per axis

/**
 * Paint layers onto a transparent canvas. A layer is { inside(u, v) → boolean, color(u, v) →
 * [r, g, b, a] } in unit coordinates (0..1, y down); later layers draw over earlier ones, and a
 * layer with `erase` punches a hole instead.
 */
function render(size, layers) {
  const out = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Accumulate premultiplied colour over the subsamples.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const u = (x + (sx + 0.5) / SS) / size;
          const v = (y + (sy + 0.5) / SS) / size;
          let pr = 0;
          let pg = 0;
          let pb = 0;
          let pa = 0;
          for (const layer of layers) {
            if (!layer.inside(u, v)) continue;
            if (layer.erase) {
              pr = pg = pb = pa = 0;
              continue;
            }
            const [cr, cg, cb, ca = 1] = layer.color(u, v);
            pr = cr * ca + pr * (1 - ca);
            pg = cg * ca + pg * (1 - ca);
            pb = cb * ca + pb * (1 - ca);
            pa = ca + pa * (1 - ca);
          }
          r += pr;
          g += pg;
          b += pb;
          a += pa;
        }
      }
      const n = SS * SS;
      const alpha = a / n;
      const i = (y * size + x) * 4;
      if (alpha > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 1];
const solid = (rgba) => () => rgba;
const dist = (u, v, cx, cy) => Math.hypot(u - cx, v - cy);
/** Clockwise angle from 12 o'clock, 0..1 of a turn. */
const turn = (u, v) => {
  const a = Math.atan2(u - 0.5, -(v - 0.5)) / (2 * Math.PI);
  return a < 0 ? a + 1 : a;
};

const RING_OUTER = 0.47;
const RING_WIDTH = 0.12;
const PIE_RADIUS = 0.27;

const ring = { inside: (u, v) => dist(u, v, 0.5, 0.5) <= RING_OUTER && dist(u, v, 0.5, 0.5) >= RING_OUTER - RING_WIDTH };
const pie = (fraction) => ({ inside: (u, v) => dist(u, v, 0.5, 0.5) <= PIE_RADIUS && (fraction >= 1 || turn(u, v) <= fraction) });
const roundedRect = (x0, y0, x1, y1, r) => (u, v) => {
  const cx = Math.min(Math.max(u, x0 + r), x1 - r);
  const cy = Math.min(Math.max(v, y0 + r), y1 - r);
  return dist(u, v, cx, cy) <= r;
};
const bang = {
  inside: (u, v) => roundedRect(0.44, 0.24, 0.56, 0.58, 0.05)(u, v) || dist(u, v, 0.5, 0.71) <= 0.065,
};

const COLORS = {
  good: '#1F9D55',
  warning: '#E0A000',
  critical: '#F0651A',
  exceeded: '#E0242B',
  none: '#8E9299',
  error: '#8E9299',
};

/** The layers of one tray glyph; `tint(part)` gives the colour of each part. */
function trayLayers(state, tint) {
  const withColor = (shape, part) => ({ ...shape, color: solid(tint(part)) });
  switch (state) {
    case 'good':
      return [withColor(ring, 'ring'), withColor(pie(0.25), 'fill')];
    case 'warning':
      return [withColor(ring, 'ring'), withColor(pie(0.5), 'fill')];
    case 'critical':
      return [withColor(ring, 'ring'), withColor(pie(0.75), 'fill')];
    case 'exceeded':
      return [
        withColor({ inside: (u, v) => dist(u, v, 0.5, 0.5) <= RING_OUTER }, 'fill'),
        { ...bang, erase: true },
      ];
    case 'none':
      return [withColor(ring, 'ring')];
    case 'error':
      return [withColor(ring, 'ring'), withColor(bang, 'mark')];
    default:
      throw new Error(`unknown tray state ${state}`);
  }
}

export function trayIcon(state, size, variant) {
  const tint =
    variant === 'template'
      ? () => [0, 0, 0, 1]
      : (part) => (state === 'error' && part === 'mark' ? hex(COLORS.exceeded) : hex(COLORS[state]));
  return encodePng(size, size, render(size, trayLayers(state, tint)));
}

// ---- app icon ----------------------------------------------------------------------------------

const lerp = (a, b, t) => a + (b - a) * t;
function gradient(stops, t) {
  const clamped = Math.min(1, Math.max(0, t));
  for (let i = 1; i < stops.length; i++) {
    const [t0, c0] = stops[i - 1];
    const [t1, c1] = stops[i];
    if (clamped <= t1) {
      const k = (clamped - t0) / (t1 - t0);
      return [lerp(c0[0], c1[0], k), lerp(c0[1], c1[1], k), lerp(c0[2], c1[2], k), 1];
    }
  }
  return stops[stops.length - 1][1];
}

export function appIcon(size) {
  const cx = 0.5;
  const cy = 0.56;
  const SWEEP = 0.7; // of a turn, centred on 12 o'clock
  const start = 1 - SWEEP / 2;
  // Position along the gauge 0..1 (left end → right end), or -1 outside the sweep.
  const along = (u, v) => {
    const a = Math.atan2(u - cx, -(v - cy)) / (2 * Math.PI);
    const t = (a < 0 ? a + 1 : a) - start;
    const wrapped = t < 0 ? t + 1 : t;
    return wrapped <= SWEEP ? wrapped / SWEEP : -1;
  };
  const arc = (u, v) => {
    const d = dist(u, v, cx, cy);
    return d >= 0.26 && d <= 0.34 && along(u, v) >= 0;
  };
  const needleAngle = (0.72 - 0.5) * SWEEP * 2 * Math.PI; // points at 72 % of the gauge
  const nx = Math.sin(needleAngle);
  const ny = -Math.cos(needleAngle);
  const needle = (u, v) => {
    const px = u - cx;
    const py = v - cy;
    const t = px * nx + py * ny; // distance along the needle
    const off = Math.abs(px * -ny + py * nx);
    return t >= 0 && t <= 0.27 && off <= 0.028 * (1 - t / 0.34);
  };
  const stops = [
    [0, hex('#22B35E')],
    [0.5, hex('#F2B705')],
    [0.8, hex('#F26A1B')],
    [1, hex('#E5262D')],
  ];
  return encodePng(
    size,
    size,
    render(size, [
      {
        inside: roundedRect(0.06, 0.06, 0.94, 0.94, 0.2),
        color: (_u, v) => gradient([[0, hex('#2B3346')], [1, hex('#151922')]], (v - 0.06) / 0.88),
      },
      { inside: arc, color: (u, v) => gradient(stops, along(u, v)) },
      { inside: needle, color: solid(hex('#F4F6FA')) },
      { inside: (u, v) => dist(u, v, cx, cy) <= 0.055, color: solid(hex('#F4F6FA')) },
      { inside: (u, v) => dist(u, v, cx, cy) <= 0.022, color: solid(hex('#151922')) },
    ]),
  );
}

// ---- outputs -----------------------------------------------------------------------------------

/** Every file this script writes, relative to the repository root, with its bytes. */
export function iconFiles() {
  const files = [];
  for (const state of TRAY_STATES) {
    files.push([`assets/tray/tray-${state}.png`, () => trayIcon(state, 16, 'color')]);
    files.push([`assets/tray/tray-${state}@2x.png`, () => trayIcon(state, 32, 'color')]);
    files.push([`assets/tray/tray-${state}Template.png`, () => trayIcon(state, 16, 'template')]);
    files.push([`assets/tray/tray-${state}Template@2x.png`, () => trayIcon(state, 32, 'template')]);
  }
  files.push(['assets/icon.png', () => appIcon(512)]);
  files.push(['assets/icon-256.png', () => appIcon(256)]);
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [rel, make] of iconFiles()) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, make());
  }
  console.log(`make-icons: wrote ${iconFiles().length} files under assets/`);
}
