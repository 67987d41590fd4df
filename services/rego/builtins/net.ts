import type { BuiltinDef } from './registry';

export const netBuiltins: BuiltinDef[] = [];
