import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT } from '../../../common/test/support/child-process';

export { REPO_ROOT };

export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts);
}

/** Files under a repository folder whose names end with one of `extensions`, as repository-relative paths. */
export function filesUnder(folder: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(repoPath(relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (extensions.some((extension) => entry.name.endsWith(extension))) found.push(child);
    }
  };
  walk(folder);
  return found.sort();
}

/** Every YAML document of a file, parsed strictly (a syntax error or duplicate key throws). */
export function yamlDocuments(relativePath: string): unknown[] {
  const documents = YAML.parseAllDocuments(fs.readFileSync(repoPath(relativePath), 'utf8'), { uniqueKeys: true, merge: true });
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${relativePath}: ${document.errors.map((error) => error.message).join('; ')}`);
  }
  return documents.map((document) => document.toJS() as unknown).filter((value) => value !== null);
}

export function yamlFile<T = Record<string, unknown>>(relativePath: string): T {
  const [first] = yamlDocuments(relativePath);
  return first as T;
}

export function jsonFile<T = Record<string, unknown>>(relativePath: string): T {
  return JSON.parse(fs.readFileSync(repoPath(relativePath), 'utf8')) as T;
}

/** `NAME=value` lines of a compose env file (comments and blank lines skipped). */
export function envFile(relativePath: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of fs.readFileSync(repoPath(relativePath), 'utf8').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const equals = trimmed.indexOf('=');
    if (equals <= 0) throw new Error(`${relativePath}: not NAME=value: ${trimmed}`);
    variables[trimmed.slice(0, equals)] = trimmed.slice(equals + 1);
  }
  return variables;
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

/** The Kubernetes objects of every manifest under `deploy/base` (kustomization files excluded). */
export function baseManifests(): Array<{ file: string; object: KubernetesObject }> {
  return filesUnder('deploy/base', ['.yaml', '.yml'])
    .filter((file) => path.basename(file) !== 'kustomization.yaml')
    .flatMap((file) => yamlDocuments(file).map((object) => ({ file, object: object as KubernetesObject })));
}
