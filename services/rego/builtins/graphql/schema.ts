/**
 * gqlparser's ValidateSchemaDocument: the prelude and the document merged, extensions applied
 * (also to types that do not exist yet), then gqlparser's checks in its order and wording.
 */
import { parseSchemaDocument } from './parser';
import { PRELUDE_SDL } from './prelude';
import {
  GraphQLSyntaxError,
  typeName,
  typeString,
  type GqlArgumentDefinition,
  type GqlDefinition,
  type GqlDirective,
  type GqlDirectiveDefinition,
  type GqlType,
  type Position,
  type SchemaDocument,
} from './ast';

export interface Schema {
  types: Map<string, GqlDefinition>;
  directives: Map<string, GqlDirectiveDefinition>;
  possibleTypes: Map<string, GqlDefinition[]>;
  query: GqlDefinition | null;
  mutation: GqlDefinition | null;
  subscription: GqlDefinition | null;
  /** The merged schema document (prelude included), for building a validator schema. */
  document: SchemaDocument;
}

function parsePrelude(): SchemaDocument {
  const doc = parseSchemaDocument(PRELUDE_SDL);
  for (const d of doc.Definitions ?? []) d.BuiltIn = true;
  return doc;
}

/** Never modified: merge() copies the definitions it will extend. */
const PRELUDE: SchemaDocument = parsePrelude();

function error(pos: Position | null | undefined, message: string): GraphQLSyntaxError {
  return new GraphQLSyntaxError(message, pos?.line ?? 0, pos?.column ?? 0);
}

function cloneDefinition(d: GqlDefinition): GqlDefinition {
  return {
    ...d,
    Directives: d.Directives ? [...d.Directives] : null,
    Interfaces: d.Interfaces ? [...d.Interfaces] : null,
    Fields: d.Fields ? [...d.Fields] : null,
    Types: d.Types ? [...d.Types] : null,
    EnumValues: d.EnumValues ? [...d.EnumValues] : null,
  };
}

function concat<T>(a: T[] | null, b: T[] | null): T[] | null {
  const out = [...(a ?? []), ...(b ?? [])];
  return out.length ? out : null;
}

function merge(a: SchemaDocument, b: SchemaDocument): SchemaDocument {
  return {
    Schema: concat(a.Schema, b.Schema),
    SchemaExtension: concat(a.SchemaExtension, b.SchemaExtension),
    Directives: concat(a.Directives, b.Directives),
    Definitions: concat(a.Definitions, b.Definitions)?.map(cloneDefinition) ?? null,
    Extensions: concat(a.Extensions, b.Extensions),
  };
}

const BUILTIN_DIRECTIVES = new Set(['include', 'skip', 'deprecated', 'specifiedBy']);

export function buildSchema(userDoc: SchemaDocument): Schema {
  const doc = merge(PRELUDE, userDoc);
  const types = new Map<string, GqlDefinition>();
  for (const def of doc.Definitions ?? []) {
    if (types.has(def.Name)) throw error(def.Position, `Cannot redeclare type ${def.Name}.`);
    types.set(def.Name, def);
  }
  const defs = [...(doc.Definitions ?? [])];
  for (const ext of doc.Extensions ?? []) {
    let def = types.get(ext.Name);
    if (!def) {
      def = { Kind: ext.Kind, Description: '', Name: ext.Name, Directives: null, Interfaces: null, Fields: null, Types: null, EnumValues: null, BuiltIn: false, Position: ext.Position };
      types.set(ext.Name, def);
      defs.push(def);
    }
    if (def.Kind !== ext.Kind) {
      throw error(ext.Position, `Cannot extend type ${ext.Name} because the base type is a ${def.Kind}, not ${ext.Kind}.`);
    }
    def.Directives = concat(def.Directives, ext.Directives);
    def.Interfaces = concat(def.Interfaces, ext.Interfaces);
    def.Fields = concat(def.Fields, ext.Fields);
    def.Types = concat(def.Types, ext.Types);
    def.EnumValues = concat(def.EnumValues, ext.EnumValues);
  }
  const possibleTypes = new Map<string, GqlDefinition[]>();
  const addPossible = (name: string, def: GqlDefinition | undefined) => {
    if (def) possibleTypes.set(name, [...(possibleTypes.get(name) ?? []), def]);
  };
  for (const def of defs) {
    if (def.Kind === 'UNION') for (const t of def.Types ?? []) addPossible(def.Name, types.get(t));
    if (def.Kind === 'OBJECT' || def.Kind === 'INPUT_OBJECT' || def.Kind === 'INTERFACE') {
      for (const i of def.Interfaces ?? []) addPossible(i, def);
      if (def.Kind !== 'INTERFACE') addPossible(def.Name, def);
    }
  }
  const directives = new Map<string, GqlDirectiveDefinition>();
  for (const dir of doc.Directives ?? []) {
    if (directives.has(dir.Name)) {
      if (!BUILTIN_DIRECTIVES.has(dir.Name)) throw error(dir.Position, `Cannot redeclare directive ${dir.Name}.`);
      continue;
    }
    directives.set(dir.Name, dir);
  }
  const schema: Schema = { types, directives, possibleTypes, query: null, mutation: null, subscription: null, document: { ...doc, Definitions: defs } };
  const schemaDefs = doc.Schema ?? [];
  if (schemaDefs.length > 1) throw error(schemaDefs[1].Position, 'Cannot have multiple schema entry points, consider schema extensions instead.');
  for (const entry of [...(schemaDefs[0]?.OperationTypes ?? []), ...(doc.SchemaExtension ?? []).flatMap((e) => e.OperationTypes ?? [])]) {
    const def = types.get(entry.Type);
    if (!def) throw error(entry.Position, `Schema root ${entry.Operation} refers to a type ${entry.Type} that does not exist.`);
    if (entry.Operation === 'query') schema.query = def;
    else if (entry.Operation === 'mutation') schema.mutation = def;
    else schema.subscription = def;
  }
  for (const name of [...types.keys()].sort()) validateDefinition(schema, types.get(name)!);
  for (const name of [...directives.keys()].sort()) {
    const dir = directives.get(name)!;
    validateName(dir.Position, dir.Name);
    validateArgs(schema, dir.Arguments, dir);
  }
  if (schemaDefs.length === 0) {
    schema.query ??= types.get('Query') ?? null;
    schema.mutation ??= types.get('Mutation') ?? null;
    schema.subscription ??= types.get('Subscription') ?? null;
  }
  return schema;
}

function validateName(pos: Position, name: string): void {
  if (name.startsWith('__')) throw error(pos, `Name "${name}" must not begin with "__", which is reserved by GraphQL introspection.`);
}

function validateTypeRef(schema: Schema, t: GqlType): void {
  if (!schema.types.has(typeName(t))) throw error(t.Position, `Undefined type ${typeName(t)}.`);
}

const INPUT_KINDS = new Set(['SCALAR', 'ENUM', 'INPUT_OBJECT']);

function validateArgs(schema: Schema, args: GqlArgumentDefinition[] | null, current: GqlDirectiveDefinition | null): void {
  for (const arg of args ?? []) {
    validateName(arg.Position, arg.Name);
    validateTypeRef(schema, arg.Type);
    const def = schema.types.get(typeName(arg.Type))!;
    if (!INPUT_KINDS.has(def.Kind)) {
      throw error(arg.Position, `cannot use ${typeString(arg.Type)} as argument ${arg.Name} because ${def.Kind} is not a valid input type`);
    }
    validateDirectives(schema, arg.Directives, 'ARGUMENT_DEFINITION', current);
  }
}

function validateDirectives(schema: Schema, dirs: GqlDirective[] | null, location: string, current: GqlDirectiveDefinition | null): void {
  for (const dir of dirs ?? []) {
    validateName(dir.Position, dir.Name);
    if (current && dir.Name === current.Name) throw error(dir.Position, `Directive ${current.Name} cannot refer to itself.`);
    const def = schema.directives.get(dir.Name);
    if (!def) throw error(dir.Position, `Undefined directive ${dir.Name}.`);
    if (!def.Locations.includes(location)) throw error(dir.Position, `Directive ${dir.Name} is not applicable on ${location}.`);
  }
}

function isCovariant(schema: Schema, required: GqlType, actual: GqlType): boolean {
  if (required.NonNull && !actual.NonNull) return false;
  if (required.NamedType !== '') {
    if (required.NamedType === actual.NamedType) return true;
    return (schema.possibleTypes.get(required.NamedType) ?? []).some((t) => t.Name === actual.NamedType);
  }
  if (required.Elem && !actual.Elem) return false;
  return isCovariant(schema, required.Elem!, actual.Elem!);
}

function sameType(a: GqlType, b: GqlType): boolean {
  if (a.NonNull !== b.NonNull || a.NamedType !== b.NamedType) return false;
  if (!a.Elem || !b.Elem) return a.Elem === b.Elem;
  return sameType(a.Elem, b.Elem);
}

function validateImplements(schema: Schema, def: GqlDefinition, name: string): void {
  const intf = schema.types.get(name);
  if (!intf) throw error(def.Position, `Undefined type ${JSON.stringify(name)}.`);
  if (intf.Kind !== 'INTERFACE') throw error(def.Position, `${JSON.stringify(name)} is a non interface type ${intf.Kind}.`);
  for (const required of intf.Fields ?? []) {
    const found = def.Fields?.find((f) => f.Name === required.Name);
    if (!found) throw error(def.Position, `For ${def.Name} to implement ${intf.Name} it must have a field called ${required.Name}.`);
    if (!isCovariant(schema, required.Type, found.Type)) {
      throw error(found.Position, `For ${def.Name} to implement ${intf.Name} the field ${required.Name} must have type ${typeString(required.Type)}.`);
    }
    for (const arg of required.Arguments ?? []) {
      const foundArg = found.Arguments?.find((a) => a.Name === arg.Name);
      if (!foundArg) {
        throw error(found.Position, `For ${def.Name} to implement ${intf.Name} the field ${required.Name} must have the same arguments but it is missing ${arg.Name}.`);
      }
      if (!sameType(arg.Type, foundArg.Type)) {
        throw error(foundArg.Position, `For ${def.Name} to implement ${intf.Name} the field ${required.Name} must have the same arguments but ${arg.Name} has the wrong type.`);
      }
    }
    for (const extra of found.Arguments ?? []) {
      if (!required.Arguments?.some((a) => a.Name === extra.Name) && extra.Type.NonNull && !extra.DefaultValue) {
        throw error(extra.Position, `For ${def.Name} to implement ${intf.Name} any additional arguments on ${found.Name} must be optional or have a default value but ${extra.Name} is required.`);
      }
    }
  }
  for (const transitive of intf.Interfaces ?? []) {
    if (!def.Interfaces?.includes(transitive)) {
      if (transitive === def.Name) throw error(def.Position, `Type ${def.Name} cannot implement ${name} because it would create a circular reference.`);
      throw error(def.Position, `Type ${def.Name} must implement ${transitive} because it is implemented by ${name}.`);
    }
  }
}

const OUTPUT_KINDS = new Set(['SCALAR', 'OBJECT', 'INTERFACE', 'UNION', 'ENUM']);

function validateDefinition(schema: Schema, def: GqlDefinition): void {
  for (const field of def.Fields ?? []) {
    validateName(field.Position, field.Name);
    validateTypeRef(schema, field.Type);
    validateArgs(schema, field.Arguments, null);
    validateDirectives(schema, field.Directives, def.Kind === 'INPUT_OBJECT' ? 'INPUT_FIELD_DEFINITION' : 'FIELD_DEFINITION', null);
  }
  for (const t of def.Types ?? []) {
    const member = schema.types.get(t);
    if (!member) throw error(def.Position, `Undefined type ${JSON.stringify(t)}.`);
    if (member.Kind !== 'OBJECT') throw error(def.Position, `${def.Kind} type ${JSON.stringify(t)} must be OBJECT.`);
  }
  for (const i of def.Interfaces ?? []) validateImplements(schema, def, i);
  switch (def.Kind) {
    case 'OBJECT':
    case 'INTERFACE':
      if (!def.Fields?.length) throw error(def.Position, `${def.Kind} ${def.Name}: must define one or more fields.`);
      for (const field of def.Fields) {
        const t = schema.types.get(typeName(field.Type));
        if (t && !OUTPUT_KINDS.has(t.Kind)) {
          throw error(field.Position, `${def.Kind} ${def.Name}: field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.`);
        }
      }
      break;
    case 'ENUM':
      if (!def.EnumValues?.length) throw error(def.Position, `${def.Kind} ${def.Name}: must define one or more unique enum values.`);
      for (const v of def.EnumValues) {
        if (v.Name === 'true' || v.Name === 'false' || v.Name === 'null') throw error(def.Position, `${def.Kind} ${def.Name}: non-enum value ${v.Name}.`);
      }
      break;
    case 'INPUT_OBJECT':
      if (!def.Fields?.length) throw error(def.Position, `${def.Kind} ${def.Name}: must define one or more input fields.`);
      for (const field of def.Fields) {
        const t = schema.types.get(typeName(field.Type));
        if (t && !INPUT_KINDS.has(t.Kind)) throw error(field.Position, `${t.Kind} ${field.Name}: field must be one of SCALAR, ENUM, INPUT_OBJECT.`);
      }
      break;
  }
  const fields = def.Fields ?? [];
  for (let i = 0; i < fields.length; i++) {
    for (const other of fields.slice(i + 1)) {
      if (fields[i].Name === other.Name) throw error(other.Position, `Field ${def.Name}.${other.Name} can only be defined once.`);
    }
  }
  if (!def.BuiltIn) validateName(def.Position, def.Name);
  validateDirectives(schema, def.Directives, def.Kind, null);
}
