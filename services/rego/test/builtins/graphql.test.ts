import { BuiltinError } from '../../errors';
import { fromJSON } from '../../value';
import { invoke, invokeJSON } from './invoke';

const schema = `
  "The root"
  type Query {
    employee(id: ID!): Employee
    employees(dept: Dept = ENG): [Employee!]!
  }
  type Employee { id: ID! name: String salary(currency: String): Float }
  enum Dept { ENG SALES }
`;

describe('graphql', () => {
  test('parse_query returns gqlparser-shaped ASTs, empty fields pruned', () => {
    expect(invokeJSON('graphql.parse_query', ['{ employee(id: "1") { name } }'])).toEqual({
      Operations: [
        {
          Name: '',
          Operation: 'query',
          SelectionSet: [
            {
              Alias: 'employee',
              Arguments: [{ Name: 'id', Value: { ExpectedTypeHasDefault: false, Kind: 3, Raw: '1' } }],
              Name: 'employee',
              SelectionSet: [{ Alias: 'name', Name: 'name' }],
            },
          ],
        },
      ],
    });
  });

  test('syntax errors carry gqlparser wording and positions, unicode included', () => {
    expect(() => invoke('graphql.parse_query', ['{'])).toThrow('Expected Name, found <EOF> in GraphQL string at location 1:2');
    expect(() => invoke('graphql.parse_query', ['{ a }\n  ...'])).toThrow('Unexpected ... in GraphQL string at location 2:3');
    expect(() => invoke('graphql.parse_schema', ['type T {}'])).toThrow('expected at least one definition, found } in GraphQL string at location 1:9');
    expect(invokeJSON('graphql.parse_query', ['{ f(s: "héllo ✓") }'])).toMatchObject({ Operations: [{ SelectionSet: [{ Arguments: [{ Value: { Raw: 'héllo ✓' } }] }] }] });
  });

  test('parse_schema keeps descriptions, kinds and defaults', () => {
    const ast = invokeJSON('graphql.parse_schema', [schema]) as any;
    expect(ast.Definitions.map((d: any) => [d.Kind, d.Name, d.Description])).toEqual([
      ['OBJECT', 'Query', 'The root'],
      ['OBJECT', 'Employee', ''],
      ['ENUM', 'Dept', ''],
    ]);
    expect(ast.Definitions[0].Fields[1].Arguments[0].DefaultValue).toEqual({ ExpectedTypeHasDefault: false, Kind: 7, Raw: 'ENG' });
  });

  test('is_valid checks queries against the schema', () => {
    expect(invoke('graphql.is_valid', ['{ employee(id: "1") { name salary(currency: "EUR") } }', schema])).toBe(true);
    expect(invoke('graphql.is_valid', ['{ employee(id: "1") { ssn } }', schema])).toBe(false);
    expect(invoke('graphql.is_valid', ['{ employee { name } }', schema])).toBe(false);
    expect(invoke('graphql.is_valid', ['{ employees(dept: HR) { id } }', schema])).toBe(false);
    expect(invoke('graphql.is_valid', ['query Q($d: Dept) { employees(dept: $d) { id } }', schema])).toBe(true);
    expect(invoke('graphql.is_valid', ['{', schema])).toBe(false);
    expect(invoke('graphql.is_valid', [1, schema])).toBe(false);
  });

  test('graphql.parse reports the first validation error; parse_and_verify returns false instead', () => {
    expect(() => invoke('graphql.parse', ['{ employee { name } }', schema])).toThrow(
      'Field "employee" argument "id" of type "ID!" is required, but it was not provided in GraphQL string at location 1:3',
    );
    expect(invokeJSON('graphql.parse_and_verify', ['{ employee { name } }', schema])).toEqual([false, {}, {}]);
    const [ok, query] = invokeJSON('graphql.parse_and_verify', ['{ employees { id } }', schema]) as [boolean, any];
    expect(ok).toBe(true);
    expect(query.Operations[0].SelectionSet[0].Name).toBe('employees');
  });

  test('ASTs round-trip as inputs', () => {
    const queryAst = invoke('graphql.parse_query', ['{ employees { name } }'])!;
    const schemaAst = invoke('graphql.parse_schema', [schema])!;
    expect(invoke('graphql.is_valid', [queryAst, schemaAst])).toBe(true);
    expect(invoke('graphql.schema_is_valid', [fromJSON({ Definitions: [{ Kind: 'OBJECT', Name: 'Q' }] })])).toBe(false);
  });

  test('schema_is_valid applies gqlparser rules', () => {
    expect(invoke('graphql.schema_is_valid', [schema])).toBe(true);
    expect(invoke('graphql.schema_is_valid', ['type A { b: Missing }'])).toBe(false);
    expect(invoke('graphql.schema_is_valid', ['type A implements I { a: Int } interface I { b: Int }'])).toBe(false);
    expect(invoke('graphql.schema_is_valid', ['enum E { true }'])).toBe(false);
    expect(invoke('graphql.schema_is_valid', ['type __Bad { a: Int }'])).toBe(false);
    // gqlparser lets an extension create the type it extends.
    expect(invoke('graphql.schema_is_valid', ['extend type Query { a: Int }'])).toBe(true);
  });
});

describe('rego.parse_module', () => {
  test('returns OPA JSON AST shapes', () => {
    const m = invokeJSON('rego.parse_module', ['x.rego', 'package foo.bar\n\nimport data.a\n\np if { a == 1 }\n']) as any;
    expect(m.package.path).toEqual([
      { type: 'var', value: 'data' },
      { type: 'string', value: 'foo' },
      { type: 'string', value: 'bar' },
    ]);
    expect(m.imports[0].path.type).toBe('ref');
    expect(m.rules[0].head.name).toBe('p');
    expect(m.rules[0].body[0].terms[0]).toEqual({ type: 'ref', value: [{ type: 'var', value: 'equal' }] });
  });

  test('parse errors are built-in errors', () => {
    expect(() => invoke('rego.parse_module', ['x.rego', 'package foo.'])).toThrow(BuiltinError);
  });
});
