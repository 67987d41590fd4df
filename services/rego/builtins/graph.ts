import type { BuiltinDef } from './registry';

export const graphBuiltins: BuiltinDef[] = [];
