import type { BuiltinDef } from './registry';

export const timeBuiltins: BuiltinDef[] = [];
