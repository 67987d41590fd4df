/** Loads `-d` paths and `-i` input, parses every module and compiles them, as the Rego commands need. */
import type { Module } from '../rego/ast';
import { RegoError, RegoErrors } from '../rego/errors';
import { loadPaths, readDocument } from '../rego/loader';
import { parseModule } from '../rego/parser';
import { compilePolicy, type Policy } from '../rego/policy';
import type { Value } from '../rego/value';

export interface CompiledPolicy {
  policy: Policy;
  modules: Module[];
}

/** Parses all modules (reporting every file's parse errors together) and compiles them with the data. */
export async function loadPolicy(paths: readonly string[]): Promise<CompiledPolicy> {
  const loaded = await loadPaths(paths);
  const modules: Module[] = [];
  const errors: RegoError[] = [];
  for (const file of loaded.modules) {
    try {
      modules.push(parseModule(file.source, file.file));
    } catch (e) {
      if (e instanceof RegoErrors) errors.push(...e.errors);
      else throw e;
    }
  }
  if (errors.length > 0) throw new RegoErrors(errors);
  return { policy: compilePolicy(modules, loaded.data), modules };
}

export function loadInput(file: string | undefined): Value | undefined {
  return file === undefined ? undefined : readDocument(file);
}
