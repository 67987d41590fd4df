import path from 'node:path';
import { run } from '../commands/test';
import { captureIO } from './capture-io';

/**
 * The security team's own suite: `mcp-authz test --coverage --threshold 90 policies opa-tests`
 * is part of `npm test`, so a policy change that breaks a rule or drops coverage fails CI.
 */
const root = path.resolve(__dirname, '../../..');

test('policies pass every opa-test with at least 90% line coverage', async () => {
  const io = captureIO();
  const code = await run(
    {
      paths: [path.join(root, 'policies'), path.join(root, 'opa-tests')],
      verbose: false,
      coverage: true,
      threshold: 90,
    },
    io,
  );
  expect({ code, err: io.err, failures: io.out.split('\n').filter((l) => /FAIL|ERROR/.test(l)) }).toEqual({
    code: 0,
    err: '',
    failures: [],
  });
  expect(io.out).toMatch(/PASS: (\d+)\/\1/);
});
