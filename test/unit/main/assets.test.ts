import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_STATES } from '../../../main/lib/tray-render';

const ROOT = path.resolve(__dirname, '../../..');

/** Decode an 8-bit RGBA, non-interlaced PNG (what scripts/make-icons.mjs writes). */
function decodePng(file: string): { width: number; height: number; pixels: Uint8Array } {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9], data[12]]).toEqual([8, 6, 0]); // 8-bit RGBA, not interlaced
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    pixels.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, pixels };
}

function* opaquePixels(pixels: Uint8Array) {
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3]! > 0) yield [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!] as const;
}

describe('tray icons', () => {
  it.each(TRAY_ICON_STATES.map((s) => [s]))('%s: template and coloured, at 1× (16 px) and 2× (32 px)', (state) => {
    const dir = path.join(ROOT, 'assets', 'tray');
    for (const [name, size] of [
      [`tray-${state}Template.png`, 16],
      [`tray-${state}Template@2x.png`, 32],
      [`tray-${state}.png`, 16],
      [`tray-${state}@2x.png`, 32],
    ] as const) {
      const png = decodePng(path.join(dir, name));
      expect([png.width, png.height], name).toEqual([size, size]);
      const opaque = [...opaquePixels(png.pixels)];
      expect(opaque.length, `${name} is not empty`).toBeGreaterThan(size * 2);
      if (name.includes('Template')) {
        // macOS template images: black plus alpha only, so the system can tint them.
        expect(opaque.every(([r, g, b]) => r === 0 && g === 0 && b === 0), `${name} is black + alpha`).toBe(true);
      } else {
        expect(opaque.some(([r, g, b]) => r !== g || g !== b || r > 100), `${name} has colour`).toBe(true);
      }
    }
  });

  it('differ in shape between states, so template images stay readable without colour', () => {
    const masks = TRAY_ICON_STATES.map((s) => Buffer.from(decodePng(path.join(ROOT, 'assets', 'tray', `tray-${s}Template@2x.png`)).pixels).toString('base64'));
    expect(new Set(masks).size).toBe(TRAY_ICON_STATES.length);
  });
});

describe('app icons', () => {
  it.each([
    ['icon.png', 512],
    ['icon-256.png', 256],
  ] as const)('%s is %i px and opaque in the middle', (name, size) => {
    const png = decodePng(path.join(ROOT, 'assets', name));
    expect([png.width, png.height]).toEqual([size, size]);
    const center = ((size / 2) * size + size / 2) * 4;
    expect(png.pixels[center + 3]).toBe(255);
  });
});
