import fs from 'node:fs';
import path from 'node:path';
import { compilePolicy, parseModule, RegoErrors, type Module } from '../../../rego';
import { loadPaths } from '../../../rego/loader';
import { runTests } from '../../../rego/tester';
import type { PolicyTestReport } from '../console-contract';

export class PolicyTestSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyTestSetupError';
  }
}

export interface PolicyTestSources {
  /** The bundle as configured (`PDP_BUNDLE`): a directory or a `.tar.gz` file. */
  bundle: string;
  testsDir: string;
  revision: string | null;
}

/**
 * Runs `test_*` rules of `testsDir` together with the bundle's policies and data, with line coverage,
 * like `mcp-authz test --coverage BUNDLE TESTS`. A bundle fetched over HTTP has no local sources to
 * test, which is reported as a setup error rather than an empty run.
 */
export async function runPolicyTests(sources: PolicyTestSources): Promise<PolicyTestReport> {
  if (/^https?:\/\//i.test(sources.bundle)) throw new PolicyTestSetupError('the active bundle is fetched over HTTP: policy tests need PDP_BUNDLE to be a local directory or .tar.gz file');
  if (!fs.existsSync(sources.testsDir)) throw new PolicyTestSetupError(`no policy tests at ${sources.testsDir} (set PDP_CONSOLE_TESTS)`);
  const loaded = await loadPaths([sources.bundle, sources.testsDir]);
  const modules = parseAll(loaded.modules);
  const policy = compilePolicy(modules, loaded.data);
  const run = runTests(policy, modules, { coverage: true, timeoutMs: 5000 });
  const summary = { total: run.results.length, pass: 0, fail: 0, error: 0, skip: 0 };
  for (const result of run.results) summary[result.outcome] += 1;
  return {
    revision: sources.revision,
    bundle: sources.bundle,
    tests_dir: sources.testsDir,
    summary,
    tests: run.results.map((result) => ({
      name: result.name,
      file: relative(result.file),
      row: result.location.row,
      outcome: result.outcome,
      ...(result.message !== undefined ? { message: result.message } : {}),
      duration_ms: Number(result.durationNs) / 1e6,
    })),
    coverage: {
      percent: run.coverage?.percent ?? 0,
      files: (run.coverage?.files ?? []).map((file) => ({ file: relative(file.file), percent: file.percent, covered: file.covered, not_covered: file.notCovered })),
    },
  };
}

function parseAll(files: readonly { file: string; source: string }[]): Module[] {
  const modules: Module[] = [];
  const errors = [];
  for (const file of files) {
    try {
      modules.push(parseModule(file.source, file.file));
    } catch (error) {
      if (error instanceof RegoErrors) errors.push(...error.errors);
      else throw error;
    }
  }
  if (errors.length > 0) throw new RegoErrors(errors);
  return modules;
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel.split(path.sep).join('/');
}
