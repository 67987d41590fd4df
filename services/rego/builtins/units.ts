import type { BuiltinDef } from './registry';

export const unitsBuiltins: BuiltinDef[] = [];
