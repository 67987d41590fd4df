/**
 * AST objects given to graphql.* in place of source text, read the way Go's json.Unmarshal fills
 * gqlparser structs: unknown keys ignored, missing ones zero.
 */
import type {
  GqlArgument,
  GqlArgumentDefinition,
  GqlDefinition,
  GqlDirective,
  GqlDirectiveDefinition,
  GqlFieldDefinition,
  GqlSchemaDefinition,
  GqlSelection,
  GqlType,
  GqlValue,
  GqlVariableDefinition,
  Position,
  QueryDocument,
  SchemaDocument,
} from './ast';

type Json = Record<string, unknown>;

const NO_POSITION: Position = { line: 0, column: 0 };
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bool = (v: unknown): boolean => v === true;
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function list<T>(v: unknown, f: (x: Json) => T): T[] | null {
  return Array.isArray(v) && v.length ? v.map((x) => f(obj(x))) : null;
}

function strings(v: unknown): string[] | null {
  return Array.isArray(v) && v.length ? v.map(str) : null;
}

function value(o: Json): GqlValue {
  return {
    Raw: str(o.Raw),
    Children: list(o.Children, (c) => ({ Name: str(c.Name), Value: value(obj(c.Value)) })),
    Kind: num(o.Kind),
    ExpectedTypeHasDefault: bool(o.ExpectedTypeHasDefault),
    Position: NO_POSITION,
  };
}

function optionalValue(v: unknown): GqlValue | null {
  return v !== null && typeof v === 'object' ? value(obj(v)) : null;
}

function type(o: Json): GqlType {
  return { NamedType: str(o.NamedType), Elem: o.Elem ? type(obj(o.Elem)) : null, NonNull: bool(o.NonNull), Position: NO_POSITION };
}

function argument(o: Json): GqlArgument {
  return { Name: str(o.Name), Value: value(obj(o.Value)), Position: NO_POSITION };
}

function directive(o: Json): GqlDirective {
  return { Name: str(o.Name), Arguments: list(o.Arguments, argument), Location: str(o.Location), Position: NO_POSITION };
}

function selection(o: Json): GqlSelection {
  const common = { Directives: list(o.Directives, directive), Position: NO_POSITION };
  if ('Alias' in o || 'Arguments' in o || ('Name' in o && 'SelectionSet' in o)) {
    const name = str(o.Name);
    return { ...common, Alias: str(o.Alias) || name, Name: name, Arguments: list(o.Arguments, argument), SelectionSet: list(o.SelectionSet, selection) };
  }
  if ('SelectionSet' in o || 'TypeCondition' in o) {
    return { ...common, TypeCondition: str(o.TypeCondition), SelectionSet: list(o.SelectionSet, selection) };
  }
  return { ...common, Name: str(o.Name) };
}

function variable(o: Json): GqlVariableDefinition {
  return {
    Variable: str(o.Variable),
    Type: type(obj(o.Type)),
    DefaultValue: optionalValue(o.DefaultValue),
    Directives: list(o.Directives, directive),
    Used: bool(o.Used),
    Position: NO_POSITION,
  };
}

export function queryFromObject(o: Json): QueryDocument {
  return {
    Operations: list(o.Operations, (op) => ({
      Operation: str(op.Operation),
      Name: str(op.Name),
      VariableDefinitions: list(op.VariableDefinitions, variable),
      Directives: list(op.Directives, directive),
      SelectionSet: list(op.SelectionSet, selection),
      Position: NO_POSITION,
    })),
    Fragments: list(o.Fragments, (f) => ({
      Name: str(f.Name),
      VariableDefinition: list(f.VariableDefinition, variable),
      TypeCondition: str(f.TypeCondition),
      Directives: list(f.Directives, directive),
      SelectionSet: list(f.SelectionSet, selection),
      Position: NO_POSITION,
    })),
  };
}

function argumentDefinition(o: Json): GqlArgumentDefinition {
  return {
    Description: str(o.Description),
    Name: str(o.Name),
    DefaultValue: optionalValue(o.DefaultValue),
    Type: type(obj(o.Type)),
    Directives: list(o.Directives, directive),
    Position: NO_POSITION,
  };
}

function fieldDefinition(o: Json): GqlFieldDefinition {
  return { ...argumentDefinition(o), Arguments: list(o.Arguments, argumentDefinition) };
}

function definition(o: Json): GqlDefinition {
  return {
    Kind: str(o.Kind) as GqlDefinition['Kind'],
    Description: str(o.Description),
    Name: str(o.Name),
    Directives: list(o.Directives, directive),
    Interfaces: strings(o.Interfaces),
    Fields: list(o.Fields, fieldDefinition),
    Types: strings(o.Types),
    EnumValues: list(o.EnumValues, (v) => ({ Description: str(v.Description), Name: str(v.Name), Directives: list(v.Directives, directive), Position: NO_POSITION })),
    BuiltIn: bool(o.BuiltIn),
    Position: NO_POSITION,
  };
}

function schemaDefinition(o: Json): GqlSchemaDefinition {
  return {
    Description: str(o.Description),
    Directives: list(o.Directives, directive),
    OperationTypes: list(o.OperationTypes, (t) => ({ Operation: str(t.Operation), Type: str(t.Type), Position: NO_POSITION })),
    Position: NO_POSITION,
  };
}

function directiveDefinition(o: Json): GqlDirectiveDefinition {
  return {
    Description: str(o.Description),
    Name: str(o.Name),
    Arguments: list(o.Arguments, argumentDefinition),
    Locations: strings(o.Locations) ?? [],
    IsRepeatable: bool(o.IsRepeatable),
    Position: NO_POSITION,
  };
}

export function schemaFromObject(o: Json): SchemaDocument {
  return {
    Schema: list(o.Schema, schemaDefinition),
    SchemaExtension: list(o.SchemaExtension, schemaDefinition),
    Directives: list(o.Directives, directiveDefinition),
    Definitions: list(o.Definitions, definition),
    Extensions: list(o.Extensions, definition),
  };
}
