/**
 * GraphQL documents in the shape of gqlparser's Go structs (what OPA returns from graphql.*),
 * field names as Go marshals them. Positions are kept for error messages, dropped on output.
 */

export interface Position {
  line: number;
  column: number;
}

export interface GqlValue {
  Raw: string;
  Children: { Name: string; Value: GqlValue }[] | null;
  Kind: number;
  ExpectedTypeHasDefault: boolean;
  Position: Position;
}

/** gqlparser's ValueKind numbering. */
export const ValueKind = {
  Variable: 0,
  Int: 1,
  Float: 2,
  String: 3,
  Block: 4,
  Boolean: 5,
  Null: 6,
  Enum: 7,
  List: 8,
  Object: 9,
} as const;

export interface GqlType {
  NamedType: string;
  Elem: GqlType | null;
  NonNull: boolean;
  Position: Position;
}

export interface GqlArgument {
  Name: string;
  Value: GqlValue;
  Position: Position;
}

export interface GqlDirective {
  Name: string;
  Arguments: GqlArgument[] | null;
  Location: string;
  Position: Position;
}

export interface GqlField {
  Alias: string;
  Name: string;
  Arguments: GqlArgument[] | null;
  Directives: GqlDirective[] | null;
  SelectionSet: GqlSelection[] | null;
  Position: Position;
}

export interface GqlFragmentSpread {
  Name: string;
  Directives: GqlDirective[] | null;
  Position: Position;
}

export interface GqlInlineFragment {
  TypeCondition: string;
  Directives: GqlDirective[] | null;
  SelectionSet: GqlSelection[] | null;
  Position: Position;
}

export type GqlSelection = GqlField | GqlFragmentSpread | GqlInlineFragment;

export interface GqlVariableDefinition {
  Variable: string;
  Type: GqlType;
  DefaultValue: GqlValue | null;
  Directives: GqlDirective[] | null;
  Used: boolean;
  Position: Position;
}

export interface GqlOperation {
  Operation: string;
  Name: string;
  VariableDefinitions: GqlVariableDefinition[] | null;
  Directives: GqlDirective[] | null;
  SelectionSet: GqlSelection[] | null;
  Position: Position;
}

export interface GqlFragment {
  Name: string;
  VariableDefinition: GqlVariableDefinition[] | null;
  TypeCondition: string;
  Directives: GqlDirective[] | null;
  SelectionSet: GqlSelection[] | null;
  Position: Position;
}

export interface QueryDocument {
  Operations: GqlOperation[] | null;
  Fragments: GqlFragment[] | null;
}

export interface GqlArgumentDefinition {
  Description: string;
  Name: string;
  DefaultValue: GqlValue | null;
  Type: GqlType;
  Directives: GqlDirective[] | null;
  Position: Position;
}

export interface GqlFieldDefinition extends GqlArgumentDefinition {
  Arguments: GqlArgumentDefinition[] | null;
}

export interface GqlEnumValue {
  Description: string;
  Name: string;
  Directives: GqlDirective[] | null;
  Position: Position;
}

export interface GqlDefinition {
  Kind: 'SCALAR' | 'OBJECT' | 'INTERFACE' | 'UNION' | 'ENUM' | 'INPUT_OBJECT';
  Description: string;
  Name: string;
  Directives: GqlDirective[] | null;
  Interfaces: string[] | null;
  Fields: GqlFieldDefinition[] | null;
  Types: string[] | null;
  EnumValues: GqlEnumValue[] | null;
  BuiltIn: boolean;
  Position: Position;
}

export interface GqlDirectiveDefinition {
  Description: string;
  Name: string;
  Arguments: GqlArgumentDefinition[] | null;
  Locations: string[];
  IsRepeatable: boolean;
  Position: Position;
}

export interface GqlSchemaDefinition {
  Description: string;
  Directives: GqlDirective[] | null;
  OperationTypes: { Operation: string; Type: string; Position: Position }[] | null;
  Position: Position;
}

export interface SchemaDocument {
  Schema: GqlSchemaDefinition[] | null;
  SchemaExtension: GqlSchemaDefinition[] | null;
  Directives: GqlDirectiveDefinition[] | null;
  Definitions: GqlDefinition[] | null;
  Extensions: GqlDefinition[] | null;
}

/** A GraphQL syntax or validation error with its source location, as gqlparser reports it. */
export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'GraphQLSyntaxError';
  }
}

export function typeName(t: GqlType): string {
  return t.Elem ? typeName(t.Elem) : t.NamedType;
}

export function typeString(t: GqlType): string {
  const inner = t.Elem ? `[${typeString(t.Elem)}]` : t.NamedType;
  return t.NonNull ? inner + '!' : inner;
}
