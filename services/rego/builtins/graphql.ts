/**
 * graphql.*: parse queries and schemas (gqlparser's grammar and AST shapes, as OPA returns them),
 * check schemas with gqlparser's rules and queries with the spec's validation rules.
 */
import { BuiltinError, BuiltinTypeError } from '../errors';
import { fromJSON, ObjectValue, toJSON, typeName, type Value } from '../value';
import { builtin, type BuiltinDef, type TypeSpec } from './registry';
import { stringOperand } from './operands';
import { GraphQLSyntaxError, type QueryDocument, type SchemaDocument } from './graphql/ast';
import { parseQueryDocument, parseSchemaDocument } from './graphql/parser';
import { buildSchema, type Schema } from './graphql/schema';
import { validateQuery } from './graphql/validate';
import { queryFromObject, schemaFromObject } from './graphql/from-object';

function located(e: unknown, where: string): never {
  if (e instanceof GraphQLSyntaxError) throw new BuiltinError(`${e.message} in ${where} at location ${e.line}:${e.column}`);
  throw e;
}

function parseQuery(text: string): QueryDocument {
  try {
    return parseQueryDocument(text);
  } catch (e) {
    located(e, 'GraphQL string');
  }
}

function parseSchema(text: string): SchemaDocument {
  try {
    return parseSchemaDocument(text);
  } catch (e) {
    located(e, 'GraphQL string');
  }
}

function queryOf(v: Value, pos: number): QueryDocument {
  if (typeof v === 'string') return parseQuery(v);
  if (v instanceof ObjectValue) return queryFromObject(toJSON(v) as Record<string, unknown>);
  throw new BuiltinTypeError(pos, 'one of {object, string}', typeName(v));
}

function schemaOf(v: Value, pos: number): SchemaDocument {
  if (typeof v === 'string') return parseSchema(v);
  if (v instanceof ObjectValue) return schemaFromObject(toJSON(v) as Record<string, unknown>);
  throw new BuiltinTypeError(pos, 'one of {object, string}', typeName(v));
}

function convertSchema(doc: SchemaDocument): Schema {
  try {
    return buildSchema(doc);
  } catch (e) {
    if (e instanceof GraphQLSyntaxError) {
      throw new BuiltinError(`Error in gqlparser SchemaDocument to Schema conversion: input:${e.line}:${e.column}: ${e.message}`);
    }
    throw e;
  }
}

function checkQuery(schema: Schema, query: QueryDocument): void {
  try {
    validateQuery(schema, query);
  } catch (e) {
    located(e, 'GraphQL string');
  }
}

/** OPA's pruning: no positions, no nulls, no empty lists or objects. */
function prune(x: unknown): unknown {
  if (Array.isArray(x)) {
    return x.map(prune).filter((v) => v !== null && v !== undefined && !isEmpty(v));
  }
  if (x !== null && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'Position') continue;
      const p = prune(v);
      if (p === null || p === undefined || isEmpty(p)) continue;
      out[k] = p;
    }
    return out;
  }
  return x;
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return v !== null && typeof v === 'object' && Object.keys(v).length === 0;
}

function astValue(doc: QueryDocument | SchemaDocument): Value {
  return fromJSON(prune(doc));
}

/** Parses and validates; null when anything fails (the is_valid / parse_and_verify flavour). */
function tryVerify(q: Value, s: Value): [QueryDocument, SchemaDocument] | null {
  if (!isSource(q) || !isSource(s)) return null;
  try {
    const query = queryOf(q, 1);
    const schemaDoc = schemaOf(s, 2);
    checkQuery(convertSchema(schemaDoc), query);
    return [query, schemaDoc];
  } catch (e) {
    if (e instanceof BuiltinError) return null;
    throw e;
  }
}

function isSource(v: Value): boolean {
  return typeof v === 'string' || v instanceof ObjectValue;
}

const SOURCE: TypeSpec = { anyOf: ['string', { object: ['any', 'any'] }] };
const AST: TypeSpec = { object: ['any', 'any'] };

export const graphqlBuiltins: BuiltinDef[] = [
  builtin({
    name: 'graphql.parse_query',
    args: ['string'],
    result: AST,
    category: 'graphql',
    impl: (args) => astValue(parseQuery(stringOperand(args[0], 1))),
  }),
  builtin({
    name: 'graphql.parse_schema',
    args: ['string'],
    result: AST,
    category: 'graphql',
    impl: (args) => astValue(parseSchema(stringOperand(args[0], 1))),
  }),
  builtin({
    name: 'graphql.parse',
    args: [SOURCE, SOURCE],
    result: { tuple: [AST, AST] },
    category: 'graphql',
    impl: ([q, s]) => {
      const query = queryOf(q, 1);
      const schemaDoc = schemaOf(s, 2);
      const queryAst = astValue(query);
      const schemaAst = astValue(schemaDoc);
      checkQuery(convertSchema(schemaDoc), query);
      return [queryAst, schemaAst];
    },
  }),
  builtin({
    name: 'graphql.parse_and_verify',
    args: [SOURCE, SOURCE],
    result: { tuple: ['boolean', AST, AST] },
    category: 'graphql',
    impl: ([q, s]) => {
      const verified = tryVerify(q, s);
      if (!verified) return [false, new ObjectValue(), new ObjectValue()];
      return [true, astValue(verified[0]), astValue(verified[1])];
    },
  }),
  builtin({
    name: 'graphql.is_valid',
    args: [SOURCE, SOURCE],
    result: 'boolean',
    category: 'graphql',
    impl: ([q, s]) => tryVerify(q, s) !== null,
  }),
  builtin({
    name: 'graphql.schema_is_valid',
    args: [SOURCE],
    result: 'boolean',
    category: 'graphql',
    impl: ([s]) => {
      if (!isSource(s)) return false;
      try {
        convertSchema(schemaOf(s, 1));
        return true;
      } catch (e) {
        if (e instanceof BuiltinError) return false;
        throw e;
      }
    },
  }),
];
