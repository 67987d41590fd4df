/**
 * Query validation against a schema, with graphql-js's implementation of the spec's rules (the
 * rules gqlparser ports). Our gqlparser-shaped documents are translated into graphql-js nodes.
 */
import {
  Kind,
  buildASTSchema,
  specifiedRules,
  validate,
  type ArgumentNode,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type NameNode,
  type NamedTypeNode,
  type SelectionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValueNode,
  type VariableDefinitionNode,
  type OperationTypeNode,
  type OperationTypeDefinitionNode,
} from 'graphql';
import {
  GraphQLSyntaxError,
  ValueKind,
  type GqlArgument,
  type GqlArgumentDefinition,
  type GqlDefinition,
  type GqlDirective,
  type GqlSelection,
  type GqlType,
  type GqlValue,
  type GqlVariableDefinition,
  type Position,
  type QueryDocument,
} from './ast';
import type { Schema } from './schema';

/** Where each translated node came from, to report errors at gqlparser positions. */
type Positions = WeakMap<object, Position>;

const name = (value: string): NameNode => ({ kind: Kind.NAME, value });
const named = (value: string): NamedTypeNode => ({ kind: Kind.NAMED_TYPE, name: name(value) });

function typeNode(t: GqlType): TypeNode {
  const inner: TypeNode = t.Elem ? { kind: Kind.LIST_TYPE, type: typeNode(t.Elem) } : named(t.NamedType);
  return t.NonNull ? { kind: Kind.NON_NULL_TYPE, type: inner as NamedTypeNode } : inner;
}

function valueNode(v: GqlValue): ValueNode {
  switch (v.Kind) {
    case ValueKind.Variable:
      return { kind: Kind.VARIABLE, name: name(v.Raw) };
    case ValueKind.Int:
      return { kind: Kind.INT, value: v.Raw };
    case ValueKind.Float:
      return { kind: Kind.FLOAT, value: v.Raw };
    case ValueKind.String:
    case ValueKind.Block:
      return { kind: Kind.STRING, value: v.Raw, block: v.Kind === ValueKind.Block };
    case ValueKind.Boolean:
      return { kind: Kind.BOOLEAN, value: v.Raw === 'true' };
    case ValueKind.Null:
      return { kind: Kind.NULL };
    case ValueKind.Enum:
      return { kind: Kind.ENUM, value: v.Raw };
    case ValueKind.List:
      return { kind: Kind.LIST, values: (v.Children ?? []).map((c) => valueNode(c.Value)) };
    default:
      return {
        kind: Kind.OBJECT,
        fields: (v.Children ?? []).map((c) => ({ kind: Kind.OBJECT_FIELD, name: name(c.Name), value: valueNode(c.Value) })),
      };
  }
}

class Translator {
  constructor(readonly positions: Positions) {}

  at<T extends object>(node: T, pos: Position | undefined): T {
    if (pos) this.positions.set(node, pos);
    return node;
  }

  arguments(args: GqlArgument[] | null): ArgumentNode[] {
    return (args ?? []).map((a) => this.at({ kind: Kind.ARGUMENT, name: name(a.Name), value: valueNode(a.Value) }, a.Position));
  }

  directives(dirs: GqlDirective[] | null): DirectiveNode[] {
    return (dirs ?? []).map((d) => this.at({ kind: Kind.DIRECTIVE, name: name(d.Name), arguments: this.arguments(d.Arguments) }, d.Position));
  }

  selectionSet(sels: GqlSelection[] | null): SelectionSetNode {
    return { kind: Kind.SELECTION_SET, selections: (sels ?? []).map((s) => this.selection(s)) };
  }

  selection(s: GqlSelection): SelectionNode {
    if ('Alias' in s) {
      return this.at(
        {
          kind: Kind.FIELD,
          alias: s.Alias !== s.Name ? name(s.Alias) : undefined,
          name: name(s.Name),
          arguments: this.arguments(s.Arguments),
          directives: this.directives(s.Directives),
          selectionSet: s.SelectionSet ? this.selectionSet(s.SelectionSet) : undefined,
        },
        s.Position,
      );
    }
    if ('TypeCondition' in s) {
      return this.at(
        {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: s.TypeCondition ? named(s.TypeCondition) : undefined,
          directives: this.directives(s.Directives),
          selectionSet: this.selectionSet(s.SelectionSet),
        },
        s.Position,
      );
    }
    return this.at({ kind: Kind.FRAGMENT_SPREAD, name: name(s.Name), directives: this.directives(s.Directives) }, s.Position);
  }

  variables(defs: GqlVariableDefinition[] | null): VariableDefinitionNode[] {
    return (defs ?? []).map((d) =>
      this.at(
        {
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: name(d.Variable) },
          type: typeNode(d.Type),
          defaultValue: d.DefaultValue ? (valueNode(d.DefaultValue) as VariableDefinitionNode['defaultValue']) : undefined,
          directives: this.directives(d.Directives) as ConstDirectiveNode[],
        },
        d.Position,
      ),
    );
  }

  query(doc: QueryDocument): DocumentNode {
    const definitions: DefinitionNode[] = [];
    for (const op of doc.Operations ?? []) {
      definitions.push(
        this.at(
          {
            kind: Kind.OPERATION_DEFINITION,
            operation: op.Operation as OperationTypeNode,
            name: op.Name ? name(op.Name) : undefined,
            variableDefinitions: this.variables(op.VariableDefinitions),
            directives: this.directives(op.Directives),
            selectionSet: this.selectionSet(op.SelectionSet),
          },
          op.Position,
        ),
      );
    }
    for (const f of doc.Fragments ?? []) {
      definitions.push(
        this.at(
          {
            kind: Kind.FRAGMENT_DEFINITION,
            name: name(f.Name),
            variableDefinitions: this.variables(f.VariableDefinition),
            typeCondition: named(f.TypeCondition),
            directives: this.directives(f.Directives),
            selectionSet: this.selectionSet(f.SelectionSet),
          },
          f.Position,
        ),
      );
    }
    return { kind: Kind.DOCUMENT, definitions };
  }
}

function inputValues(args: GqlArgumentDefinition[] | null): InputValueDefinitionNode[] {
  return (args ?? []).map((a) => ({
    kind: Kind.INPUT_VALUE_DEFINITION,
    name: name(a.Name),
    type: typeNode(a.Type),
    defaultValue: a.DefaultValue ? (valueNode(a.DefaultValue) as InputValueDefinitionNode['defaultValue']) : undefined,
  }));
}

function typeDefinition(d: GqlDefinition): DefinitionNode {
  const fields = (): FieldDefinitionNode[] =>
    (d.Fields ?? []).map((f) => ({ kind: Kind.FIELD_DEFINITION, name: name(f.Name), arguments: inputValues(f.Arguments), type: typeNode(f.Type) }));
  switch (d.Kind) {
    case 'SCALAR':
      return { kind: Kind.SCALAR_TYPE_DEFINITION, name: name(d.Name) };
    case 'OBJECT':
      return { kind: Kind.OBJECT_TYPE_DEFINITION, name: name(d.Name), interfaces: (d.Interfaces ?? []).map(named), fields: fields() };
    case 'INTERFACE':
      return { kind: Kind.INTERFACE_TYPE_DEFINITION, name: name(d.Name), interfaces: (d.Interfaces ?? []).map(named), fields: fields() };
    case 'UNION':
      return { kind: Kind.UNION_TYPE_DEFINITION, name: name(d.Name), types: (d.Types ?? []).map(named) };
    case 'ENUM':
      return { kind: Kind.ENUM_TYPE_DEFINITION, name: name(d.Name), values: (d.EnumValues ?? []).map((v) => ({ kind: Kind.ENUM_VALUE_DEFINITION, name: name(v.Name) })) };
    default:
      return { kind: Kind.INPUT_OBJECT_TYPE_DEFINITION, name: name(d.Name), fields: inputValues(d.Fields) };
  }
}

const builtInDirectives = new Set(['include', 'skip', 'deprecated', 'specifiedBy']);

function schemaDocument(schema: Schema): DocumentNode {
  const definitions: DefinitionNode[] = [];
  for (const d of schema.types.values()) if (!d.BuiltIn) definitions.push(typeDefinition(d));
  for (const d of schema.directives.values()) {
    if (builtInDirectives.has(d.Name)) continue;
    definitions.push({ kind: Kind.DIRECTIVE_DEFINITION, name: name(d.Name), arguments: inputValues(d.Arguments), repeatable: d.IsRepeatable, locations: d.Locations.map(name) });
  }
  const roots: [OperationTypeNode, GqlDefinition | null][] = [
    ['query' as OperationTypeNode, schema.query],
    ['mutation' as OperationTypeNode, schema.mutation],
    ['subscription' as OperationTypeNode, schema.subscription],
  ];
  const operationTypes = roots
    .filter((r): r is [OperationTypeNode, GqlDefinition] => r[1] !== null)
    .map(([operation, def]): OperationTypeDefinitionNode => ({ kind: Kind.OPERATION_TYPE_DEFINITION, operation, type: named(def.Name) }));
  if (operationTypes.length) definitions.push({ kind: Kind.SCHEMA_DEFINITION, operationTypes });
  return { kind: Kind.DOCUMENT, definitions };
}

/** Throws the first validation error, at the position of the offending query node. */
export function validateQuery(schema: Schema, query: QueryDocument): void {
  const gqlSchema = buildASTSchema(schemaDocument(schema), { assumeValid: true, assumeValidSDL: true });
  const positions: Positions = new WeakMap();
  const document = new Translator(positions).query(query);
  const errors = validate(gqlSchema, document, specifiedRules);
  if (errors.length === 0) return;
  const first = errors[0];
  const pos = first.nodes?.map((n) => positions.get(n)).find((p) => p !== undefined);
  throw new GraphQLSyntaxError(first.message.replace(/\.$/, ''), pos?.line ?? 0, pos?.column ?? 0);
}
