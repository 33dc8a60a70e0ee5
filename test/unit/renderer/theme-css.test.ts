import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The dark palette is written twice in base.css (for the OS's dark mode and for a dark theme picked
// by hand); CSS cannot share one block between the two. This keeps the copies from drifting apart.
const css = fs.readFileSync(path.join(__dirname, '../../../renderer/src/styles/base.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

function declarations(selector: string, from = 0): string[] {
  const start = css.indexOf(`${selector} {`, from);
  expect(start, `${selector} in base.css`).toBeGreaterThanOrEqual(0);
  const body = css.slice(css.indexOf('{', start) + 1, css.indexOf('}', start));
  return body
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
}

describe('the dark theme in base.css', () => {
  const media = css.indexOf('@media (prefers-color-scheme: dark)');
  const fromOs = declarations(":root:not([data-theme='light'])", media);
  const picked = declarations(":root[data-theme='dark']");

  it('gives the OS-dark and the hand-picked dark theme the same values', () => {
    expect(media).toBeGreaterThanOrEqual(0);
    expect(fromOs.length).toBeGreaterThan(30);
    expect(picked).toEqual(fromOs);
  });

  it('overrides only tokens the light theme defines, and the colour scheme', () => {
    const light = new Set(declarations(':root').map((d) => d.split(':')[0]));
    for (const d of picked) expect(light, d).toContain(d.split(':')[0]);
    expect(picked).toContain('color-scheme: dark');
  });
});
