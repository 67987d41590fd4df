'use strict';
// Lets plain `node` run this repository's TypeScript directly (`node -r <this file> main.ts`), the way jest
// runs it: process-level tests and the benchmarks need neither a build nor a compiled dist/.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
