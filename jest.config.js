/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/services'],
  testMatch: ['<rootDir>/services/**/test/**/*.test.ts'],
  transform: {
    // PGlite's dynamic imports of Node built-ins, rewritten for jest's sandbox (see the file).
    'node_modules/@electric-sql/pglite/dist/.+\\.cjs$': '<rootDir>/services/audit/test/support/pglite-jest-transform.js',
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  testTimeout: 30000,
  // Most suites wait on child processes, databases and sockets rather than the CPU: one worker per core
  // (jest's default leaves one core idle) takes the suite from ~240 s to ~150 s on two cores.
  maxWorkers: '100%',
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
