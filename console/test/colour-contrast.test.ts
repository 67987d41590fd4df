import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = fs.readFileSync(new URL('../src/styles.css', import.meta.url), 'utf8');

/** The palette: the custom properties of `:root`, plus the white the stylesheet writes on dark fills. */
function palette(): Record<string, string> {
  const root = /:root\s*{([^}]*)}/.exec(css)?.[1] ?? '';
  const colours: Record<string, string> = { white: '#ffffff' };
  for (const [, name, value] of root.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)) colours[name!] = value!;
  return colours;
}

/** WCAG 2.x relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255).map((channel) => (channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const colours = palette();

describe('the console’s colours (WCAG AA)', () => {
  // Each pair is one the stylesheet uses: text colour on the background it is written on.
  it.each([
    ['ink', 'paper'],
    ['ink', 'canvas'],
    ['muted', 'paper'],
    ['muted', 'canvas'],
    ['accent', 'paper'],
    ['accent', 'canvas'],
    ['allow', 'paper'],
    ['allow', 'allow-bg'],
    ['deny', 'paper'],
    ['deny', 'deny-bg'],
    ['warn', 'warn-bg'],
    ['white', 'brand'],
    ['white', 'accent'],
    ['white', 'deny'],
  ])('text in %s on %s: at least 4.5:1', (text, background) => {
    expect(contrast(colours[text]!, colours[background]!)).toBeGreaterThanOrEqual(4.5);
  });

  // The keyboard focus ring is drawn on cards (paper), the page (canvas) and the top bar (brand).
  it.each(['paper', 'canvas', 'brand'])('the focus ring on %s: at least 3:1', (background) => {
    expect(contrast(colours.focus!, colours[background]!)).toBeGreaterThanOrEqual(3);
  });

  it('reads the palette from the stylesheet', () => {
    expect(Object.keys(colours)).toEqual(expect.arrayContaining(['ink', 'muted', 'paper', 'canvas', 'brand', 'accent', 'focus']));
  });
});
