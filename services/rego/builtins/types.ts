import type { BuiltinDef } from './registry';

export const typesBuiltins: BuiltinDef[] = [];
