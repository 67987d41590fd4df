import type { BuiltinDef } from './registry';

export const castsBuiltins: BuiltinDef[] = [];
