import type { BuiltinDef } from './registry';

export const graphqlBuiltins: BuiltinDef[] = [];
