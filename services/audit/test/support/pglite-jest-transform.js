'use strict';
// PGlite's CommonJS build loads Node built-ins with `import("fs")`, which jest's module sandbox cannot
// run without --experimental-vm-modules. This rewrites those calls into `require`s of the same built-ins,
// so PGlite works under plain `jest` / `npm test`. Used only for PGlite's own .cjs files.
const crypto = require('node:crypto');

const LITERAL_DYNAMIC_IMPORT = /\bimport\((["'][^"']+["'])\)/g;

module.exports = {
  process(sourceText) {
    const rewritten = sourceText.replace(LITERAL_DYNAMIC_IMPORT, 'Promise.resolve(__pgliteRequire($1))');
    const strict = /^\s*(["'])use strict\1;?/.exec(rewritten);
    const head = strict ? strict[0] : '';
    return { code: `${head}\nconst __pgliteRequire = require;\n${rewritten.slice(head.length)}` };
  },
  getCacheKey(sourceText, sourcePath) {
    return crypto.createHash('sha256').update('pglite-jest-transform-1').update(sourcePath).update(sourceText).digest('hex');
  },
};
