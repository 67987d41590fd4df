import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defaultAssetsDir } from '../../pdp/console/console-settings';

/** The budget for the console's first load. */
const JS_BUDGET_GZIPPED = 200 * 1024;

const assetsDir = defaultAssetsDir(__dirname);

describe('the built console (dist/console)', () => {
  let html = '';
  beforeAll(() => {
    if (!fs.existsSync(path.join(assetsDir, 'index.html'))) throw new Error(`the console is not built (${assetsDir}): run npm run build`);
    html = fs.readFileSync(path.join(assetsDir, 'index.html'), 'utf8');
  });
  it('loads nothing from another origin: every script and stylesheet is the PDP’s own', () => {
    const referenced = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((match) => match[1]!);
    const files = referenced.filter((reference) => !reference.startsWith('data:'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const reference of files) expect(reference).toMatch(/^\/console\/assets\/[\w.-]+\.(js|css)$/);
    for (const file of files.filter((reference) => reference.endsWith('.css'))) {
      const css = fs.readFileSync(path.join(assetsDir, file.replace(/^\/console\//, '')), 'utf8');
      // No web fonts, no remote images or imports.
      expect(css).not.toMatch(/@import|@font-face|url\(\s*['"]?(https?:)?\/\//);
    }
  });

  it(`ships under ${JS_BUDGET_GZIPPED / 1024} KB of JavaScript, gzipped, on first load`, () => {
    const scripts = fs.readdirSync(path.join(assetsDir, 'assets')).filter((file) => file.endsWith('.js'));
    const gzipped = scripts.reduce((total, file) => total + zlib.gzipSync(fs.readFileSync(path.join(assetsDir, 'assets', file))).length, 0);
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipped).toBeLessThan(JS_BUDGET_GZIPPED);
  });
});
