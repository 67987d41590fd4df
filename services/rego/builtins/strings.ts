import type { BuiltinDef } from './registry';

export const stringsBuiltins: BuiltinDef[] = [];
