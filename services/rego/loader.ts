/**
 * The engine's only file I/O: policy/data paths as `opa -d` reads them, bundle directories and
 * `.tar.gz` bundles, and conformance case directories.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface CaseFileText {
  /** The directory holding the file (OPA's category), e.g. `withkeyword`. */
  category: string;
  file: string;
  text: string;
}

/** Every `*.json` case file under `dir` (recursively), in a stable order. */
export function readConformanceDir(dir: string): CaseFileText[] {
  const out: CaseFileText[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.json')) {
        out.push({ category: path.basename(d), file: entry.name, text: fs.readFileSync(full, 'utf8') });
      }
    }
  };
  walk(dir);
  return out;
}
