import type { BuiltinDef } from './registry';

export const setsBuiltins: BuiltinDef[] = [];
