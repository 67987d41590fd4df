/** GraphQL query and schema documents, parsed with gqlparser's grammar, errors and AST shapes. */
import {
  GraphQLSyntaxError,
  ValueKind,
  type GqlArgument,
  type GqlArgumentDefinition,
  type GqlDefinition,
  type GqlDirective,
  type GqlDirectiveDefinition,
  type GqlEnumValue,
  type GqlFieldDefinition,
  type GqlFragment,
  type GqlOperation,
  type GqlSchemaDefinition,
  type GqlSelection,
  type GqlType,
  type GqlValue,
  type GqlVariableDefinition,
  type Position,
  type QueryDocument,
  type SchemaDocument,
} from './ast';
import { describeToken, Lexer, type Token, type TokenKind } from './lexer';

const DIRECTIVE_LOCATIONS = new Set([
  'QUERY', 'MUTATION', 'SUBSCRIPTION', 'FIELD', 'FRAGMENT_DEFINITION', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION', 'SCHEMA', 'SCALAR', 'OBJECT', 'FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INTERFACE',
  'UNION', 'ENUM', 'ENUM_VALUE', 'INPUT_OBJECT', 'INPUT_FIELD_DEFINITION',
]);

function nonEmpty<T>(xs: T[]): T[] | null {
  return xs.length ? xs : null;
}

class Parser {
  private readonly lexer: Lexer;
  private peeked: Token | null = null;
  private prev: Token | null = null;

  constructor(input: string) {
    this.lexer = new Lexer(input);
  }

  peek(): Token {
    if (!this.peeked) this.peeked = this.lexer.next();
    return this.peeked;
  }

  pos(): Position {
    return this.peek().pos;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    if (t.error) throw t.error;
    this.prev = t;
    return t;
  }

  fail(t: Token, message: string): never {
    throw new GraphQLSyntaxError(message, t.pos.line, t.pos.column);
  }

  unexpected(t: Token = this.peek()): never {
    this.fail(t, `Unexpected ${describeToken(t)}`);
  }

  expect(kind: TokenKind): Token {
    const t = this.peek();
    if (t.kind === kind) return this.next();
    this.fail(t, `Expected ${kind}, found ${t.kind}`);
  }

  expectKeyword(word: string): Token {
    const t = this.peek();
    if (t.kind === 'Name' && t.value === word) return this.next();
    this.fail(t, `Expected ${JSON.stringify(word)}, found ${describeToken(t)}`);
  }

  skip(kind: TokenKind): boolean {
    if (this.peek().kind !== kind) return false;
    this.next();
    return true;
  }

  /** Zero or more items between delimiters (the delimiters themselves optional). */
  many<T>(start: TokenKind, end: TokenKind, item: () => T): T[] {
    const out: T[] = [];
    if (!this.skip(start)) return out;
    while (this.peek().kind !== end) out.push(item());
    this.next();
    return out;
  }

  /** One or more items between delimiters (when the opening delimiter is present). */
  some<T>(start: TokenKind, end: TokenKind, item: () => T): T[] {
    const out: T[] = [];
    if (!this.skip(start)) return out;
    while (this.peek().kind !== end) out.push(item());
    if (out.length === 0) this.fail(this.peek(), `expected at least one definition, found ${this.peek().kind}`);
    this.next();
    return out;
  }

  name(): string {
    return this.expect('Name').value;
  }

  // ------------------------------------------------------------------------ shared

  value(isConst: boolean): GqlValue {
    const t = this.peek();
    const make = (Kind: number, Raw: string, Children: GqlValue['Children'] = null): GqlValue => ({
      Raw,
      Children,
      Kind,
      ExpectedTypeHasDefault: false,
      Position: t.pos,
    });
    switch (t.kind) {
      case '[':
        return make(ValueKind.List, '', this.many('[', ']', () => ({ Name: '', Value: this.value(isConst) })));
      case '{':
        return make(
          ValueKind.Object,
          '',
          this.many('{', '}', () => {
            const name = this.name();
            this.expect(':');
            return { Name: name, Value: this.value(isConst) };
          }),
        );
      case '$':
        if (isConst) this.unexpected();
        this.next();
        return make(ValueKind.Variable, this.name());
      case 'Int':
        return make(ValueKind.Int, this.next().value);
      case 'Float':
        return make(ValueKind.Float, this.next().value);
      case 'String':
        return make(ValueKind.String, this.next().value);
      case 'BlockString':
        return make(ValueKind.Block, this.next().value);
      case 'Name': {
        const kind = t.value === 'true' || t.value === 'false' ? ValueKind.Boolean : t.value === 'null' ? ValueKind.Null : ValueKind.Enum;
        return make(kind, this.next().value);
      }
      default:
        this.unexpected();
    }
  }

  arguments(isConst: boolean): GqlArgument[] | null {
    return nonEmpty(
      this.many('(', ')', () => {
        const Position = this.pos();
        const Name = this.name();
        this.expect(':');
        return { Name, Value: this.value(isConst), Position };
      }),
    );
  }

  directives(isConst: boolean): GqlDirective[] | null {
    const out: GqlDirective[] = [];
    while (this.peek().kind === '@') {
      this.expect('@');
      const Position = this.pos();
      out.push({ Name: this.name(), Arguments: this.arguments(isConst), Location: '', Position });
    }
    return nonEmpty(out);
  }

  typeReference(): GqlType {
    let t: GqlType;
    if (this.skip('[')) {
      const Position = this.pos();
      const Elem = this.typeReference();
      this.expect(']');
      t = { NamedType: '', Elem, NonNull: false, Position };
    } else {
      const Position = this.pos();
      t = { NamedType: this.name(), Elem: null, NonNull: false, Position };
    }
    if (this.skip('!')) t.NonNull = true;
    return t;
  }

  // ------------------------------------------------------------------------ queries

  queryDocument(): QueryDocument {
    const operations: GqlOperation[] = [];
    const fragments: GqlFragment[] = [];
    while (this.peek().kind !== '<EOF>') {
      const t = this.peek();
      if (t.kind === '{') operations.push(this.operation());
      else if (t.kind === 'Name' && ['query', 'mutation', 'subscription'].includes(t.value)) operations.push(this.operation());
      else if (t.kind === 'Name' && t.value === 'fragment') fragments.push(this.fragmentDefinition());
      else this.unexpected();
    }
    return { Operations: nonEmpty(operations), Fragments: nonEmpty(fragments) };
  }

  operationType(): string {
    const t = this.next();
    if (t.value === 'query' || t.value === 'mutation' || t.value === 'subscription') return t.value;
    this.unexpected(t);
  }

  operation(): GqlOperation {
    const Position = this.pos();
    if (this.peek().kind === '{') {
      return { Operation: 'query', Name: '', VariableDefinitions: null, Directives: null, SelectionSet: this.requiredSelectionSet(), Position };
    }
    const Operation = this.operationType();
    const Name = this.peek().kind === 'Name' ? this.next().value : '';
    return {
      Operation,
      Name,
      VariableDefinitions: this.variableDefinitions(),
      Directives: this.directives(false),
      SelectionSet: this.requiredSelectionSet(),
      Position,
    };
  }

  variableDefinitions(): GqlVariableDefinition[] | null {
    return nonEmpty(
      this.many('(', ')', () => {
        const Position = this.pos();
        this.expect('$');
        const Variable = this.name();
        this.expect(':');
        const Type = this.typeReference();
        const DefaultValue = this.skip('=') ? this.value(true) : null;
        return { Variable, Type, DefaultValue, Directives: this.directives(false), Used: false, Position };
      }),
    );
  }

  requiredSelectionSet(): GqlSelection[] | null {
    if (this.peek().kind !== '{') this.fail(this.peek(), `Expected {, found ${this.peek().kind}`);
    return nonEmpty(this.some('{', '}', () => this.selection()));
  }

  selection(): GqlSelection {
    if (this.peek().kind === '...') return this.fragment();
    const Position = this.pos();
    const Alias = this.name();
    const Name = this.skip(':') ? this.name() : Alias;
    const Arguments = this.arguments(false);
    const Directives = this.directives(false);
    const SelectionSet = this.peek().kind === '{' ? nonEmpty(this.some('{', '}', () => this.selection())) : null;
    return { Alias, Name, Arguments, Directives, SelectionSet, Position };
  }

  fragment(): GqlSelection {
    this.expect('...');
    const peek = this.peek();
    if (peek.kind === 'Name' && peek.value !== 'on') {
      const Position = this.pos();
      return { Name: this.fragmentName(), Directives: this.directives(false), Position };
    }
    const Position = this.pos();
    let TypeCondition = '';
    if (this.peek().value === 'on') {
      this.next();
      TypeCondition = this.name();
    }
    return { TypeCondition, Directives: this.directives(false), SelectionSet: this.requiredSelectionSet(), Position };
  }

  fragmentName(): string {
    if (this.peek().value === 'on') this.unexpected();
    return this.name();
  }

  fragmentDefinition(): GqlFragment {
    const Position = this.pos();
    this.expectKeyword('fragment');
    const Name = this.fragmentName();
    const VariableDefinition = this.variableDefinitions();
    this.expectKeyword('on');
    const TypeCondition = this.name();
    return { Name, VariableDefinition, TypeCondition, Directives: this.directives(false), SelectionSet: this.requiredSelectionSet(), Position };
  }

  // ------------------------------------------------------------------------ schemas

  schemaDocument(): SchemaDocument {
    const doc = { Schema: [] as GqlSchemaDefinition[], SchemaExtension: [] as GqlSchemaDefinition[], Directives: [] as GqlDirectiveDefinition[], Definitions: [] as GqlDefinition[], Extensions: [] as GqlDefinition[] };
    while (this.peek().kind !== '<EOF>') {
      const description = this.description();
      if (this.peek().kind !== 'Name') this.unexpected();
      switch (this.peek().value) {
        case 'scalar':
        case 'type':
        case 'interface':
        case 'union':
        case 'enum':
        case 'input':
          doc.Definitions.push(this.typeDefinition(description));
          break;
        case 'schema':
          doc.Schema.push(this.schemaDefinition(description, false));
          break;
        case 'directive':
          doc.Directives.push(this.directiveDefinition(description));
          break;
        case 'extend':
          if (description !== '' && this.prev) this.unexpected(this.prev);
          this.extension(doc);
          break;
        default:
          this.unexpected();
      }
    }
    return {
      Schema: nonEmpty(doc.Schema),
      SchemaExtension: nonEmpty(doc.SchemaExtension),
      Directives: nonEmpty(doc.Directives),
      Definitions: nonEmpty(doc.Definitions),
      Extensions: nonEmpty(doc.Extensions),
    };
  }

  description(): string {
    const k = this.peek().kind;
    return k === 'String' || k === 'BlockString' ? this.next().value : '';
  }

  schemaDefinition(description: string, extension: boolean): GqlSchemaDefinition {
    this.expectKeyword('schema');
    const Position = this.pos();
    const Directives = this.directives(true);
    const OperationTypes = this.some('{', '}', () => {
      const p = this.pos();
      const Operation = this.operationType();
      this.expect(':');
      return { Operation, Type: this.name(), Position: p };
    });
    if (extension && !Directives && OperationTypes.length === 0) this.unexpected();
    return { Description: description, Directives, OperationTypes: nonEmpty(OperationTypes), Position };
  }

  definition(kind: GqlDefinition['Kind'], description: string, Position: Position, Name: string): GqlDefinition {
    return { Kind: kind, Description: description, Name, Directives: null, Interfaces: null, Fields: null, Types: null, EnumValues: null, BuiltIn: false, Position };
  }

  typeDefinition(description: string): GqlDefinition {
    const keyword = this.next().value;
    const Position = this.pos();
    const def = this.definition(KIND_OF_KEYWORD[keyword], description, Position, this.name());
    this.typeBody(def, keyword, false);
    return def;
  }

  typeBody(def: GqlDefinition, keyword: string, extension: boolean): void {
    switch (keyword) {
      case 'scalar':
        def.Directives = this.directives(true);
        if (extension && !def.Directives) this.unexpected();
        break;
      case 'type':
      case 'interface':
        if (keyword === 'type' || !extension) def.Interfaces = this.implementsInterfaces();
        def.Directives = this.directives(true);
        def.Fields = nonEmpty(this.some('{', '}', () => this.fieldDefinition()));
        if (extension && !def.Interfaces && !def.Directives && !def.Fields) this.unexpected();
        break;
      case 'union':
        def.Directives = this.directives(true);
        def.Types = this.unionMembers();
        if (extension && !def.Directives && !def.Types) this.unexpected();
        break;
      case 'enum':
        def.Directives = this.directives(true);
        def.EnumValues = nonEmpty(this.some('{', '}', () => this.enumValue()));
        if (extension && !def.Directives && !def.EnumValues) this.unexpected();
        break;
      case 'input':
        def.Directives = this.directives(!extension);
        def.Fields = nonEmpty(this.some('{', '}', () => this.inputValue() as GqlFieldDefinition));
        if (extension && !def.Directives && !def.Fields) this.unexpected();
        break;
    }
  }

  implementsInterfaces(): string[] | null {
    if (this.peek().value !== 'implements') return null;
    this.next();
    this.skip('&');
    const types = [this.name()];
    while (this.skip('&')) types.push(this.name());
    return types;
  }

  unionMembers(): string[] | null {
    if (!this.skip('=')) return null;
    this.skip('|');
    const types = [this.name()];
    while (this.skip('|')) types.push(this.name());
    return types;
  }

  fieldDefinition(): GqlFieldDefinition {
    const Position = this.pos();
    const Description = this.description();
    const Name = this.name();
    const Arguments = nonEmpty(this.some('(', ')', () => this.inputValue()));
    this.expect(':');
    const Type = this.typeReference();
    return { Description, Name, Arguments, DefaultValue: null, Type, Directives: this.directives(true), Position };
  }

  inputValue(): GqlArgumentDefinition {
    const Position = this.pos();
    const Description = this.description();
    const Name = this.name();
    this.expect(':');
    const Type = this.typeReference();
    const DefaultValue = this.skip('=') ? this.value(true) : null;
    return { Description, Name, DefaultValue, Type, Directives: this.directives(true), Position };
  }

  enumValue(): GqlEnumValue {
    const Position = this.pos();
    return { Description: this.description(), Name: this.name(), Directives: this.directives(true), Position };
  }

  extension(doc: { SchemaExtension: GqlSchemaDefinition[]; Extensions: GqlDefinition[] }): void {
    this.expectKeyword('extend');
    const keyword = this.peek().value;
    if (keyword === 'schema') {
      doc.SchemaExtension.push(this.schemaDefinition('', true));
      return;
    }
    if (!KIND_OF_KEYWORD[keyword] || this.peek().kind !== 'Name') this.unexpected();
    this.next();
    const Position = this.pos();
    const def = this.definition(KIND_OF_KEYWORD[keyword], '', Position, this.name());
    this.typeBody(def, keyword, true);
    doc.Extensions.push(def);
  }

  directiveDefinition(description: string): GqlDirectiveDefinition {
    this.expectKeyword('directive');
    this.expect('@');
    const Position = this.pos();
    const Name = this.name();
    const Arguments = nonEmpty(this.some('(', ')', () => this.inputValue()));
    let IsRepeatable = false;
    if (this.peek().kind === 'Name' && this.peek().value === 'repeatable') {
      IsRepeatable = true;
      this.next();
    }
    this.expectKeyword('on');
    this.skip('|');
    const Locations = [this.directiveLocation()];
    while (this.skip('|')) Locations.push(this.directiveLocation());
    return { Description: description, Name, Arguments, Locations, IsRepeatable, Position };
  }

  directiveLocation(): string {
    const t = this.expect('Name');
    if (!DIRECTIVE_LOCATIONS.has(t.value)) this.unexpected(t);
    return t.value;
  }
}

const KIND_OF_KEYWORD: Record<string, GqlDefinition['Kind']> = {
  scalar: 'SCALAR',
  type: 'OBJECT',
  interface: 'INTERFACE',
  union: 'UNION',
  enum: 'ENUM',
  input: 'INPUT_OBJECT',
};

export function parseQueryDocument(source: string): QueryDocument {
  return new Parser(source).queryDocument();
}

export function parseSchemaDocument(source: string): SchemaDocument {
  return new Parser(source).schemaDocument();
}
