import type { BuiltinDef } from './registry';

export const regoParseBuiltins: BuiltinDef[] = [];
