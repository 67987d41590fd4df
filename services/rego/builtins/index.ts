/** The one table of built-ins: every family module, merged. Names must be unique. */
import type { BuiltinDef } from './registry';
import { aggregatesBuiltins } from './aggregates';
import { numbersBuiltins } from './numbers';
import { comparisonBuiltins } from './comparison';
import { arraysBuiltins } from './arrays';
import { setsBuiltins } from './sets';
import { objectsBuiltins } from './objects';
import { stringsBuiltins } from './strings';
import { sprintfBuiltins } from './sprintf';
import { regexBuiltins } from './regex';
import { globBuiltins } from './glob';
import { encodingBuiltins } from './encoding';
import { jsonBuiltins } from './json';
import { typesBuiltins } from './types';
import { castsBuiltins } from './casts';
import { membershipBuiltins } from './membership';
import { timeBuiltins } from './time';
import { cryptoBuiltins } from './crypto';
import { x509Builtins } from './x509';
import { jwtBuiltins } from './jwt';
import { netBuiltins } from './net';
import { graphBuiltins } from './graph';
import { httpSendBuiltins } from './http-send';
import { providersAwsBuiltins } from './providers-aws';
import { graphqlBuiltins } from './graphql';
import { regoParseBuiltins } from './rego-parse';
import { runtimeBuiltins } from './runtime';
import { randBuiltins } from './rand';
import { uuidBuiltins } from './uuid';
import { unitsBuiltins } from './units';
import { semverBuiltins } from './semver';
import { evaluatorCallBuiltins } from './evaluator-calls';

const FAMILIES: readonly (readonly BuiltinDef[])[] = [
  aggregatesBuiltins,
  numbersBuiltins,
  comparisonBuiltins,
  arraysBuiltins,
  setsBuiltins,
  objectsBuiltins,
  stringsBuiltins,
  sprintfBuiltins,
  regexBuiltins,
  globBuiltins,
  encodingBuiltins,
  jsonBuiltins,
  typesBuiltins,
  castsBuiltins,
  membershipBuiltins,
  timeBuiltins,
  cryptoBuiltins,
  x509Builtins,
  jwtBuiltins,
  netBuiltins,
  graphBuiltins,
  httpSendBuiltins,
  providersAwsBuiltins,
  graphqlBuiltins,
  regoParseBuiltins,
  runtimeBuiltins,
  evaluatorCallBuiltins,
  randBuiltins,
  uuidBuiltins,
  unitsBuiltins,
  semverBuiltins,
];

function buildTable(): ReadonlyMap<string, BuiltinDef> {
  const table = new Map<string, BuiltinDef>();
  for (const family of FAMILIES) {
    for (const def of family) {
      if (table.has(def.name)) throw new Error(`built-in declared twice: ${def.name}`);
      table.set(def.name, def);
    }
  }
  return table;
}

export const BUILTINS: ReadonlyMap<string, BuiltinDef> = buildTable();
