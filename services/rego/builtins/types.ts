/** Type predicates and type_name. */
import { typeName, type TypeName, type Value } from '../value';
import { builtin, type BuiltinDef } from './registry';

function isType(name: string, type: TypeName): BuiltinDef {
  return builtin({ name, category: 'types', args: ['any'], result: 'boolean', impl: ([v]) => typeName(v) === type });
}

export const typesBuiltins: BuiltinDef[] = [
  isType('is_number', 'number'),
  isType('is_string', 'string'),
  isType('is_boolean', 'boolean'),
  isType('is_array', 'array'),
  isType('is_set', 'set'),
  isType('is_object', 'object'),
  isType('is_null', 'null'),
  builtin({ name: 'type_name', category: 'types', args: ['any'], result: 'string', impl: ([v]: Value[]) => typeName(v) }),
];
