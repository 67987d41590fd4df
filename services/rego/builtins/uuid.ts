import type { BuiltinDef } from './registry';

export const uuidBuiltins: BuiltinDef[] = [];
