import type { BuiltinDef } from './registry';

export const jsonBuiltins: BuiltinDef[] = [];
