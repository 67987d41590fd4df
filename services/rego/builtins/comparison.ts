import type { BuiltinDef } from './registry';

export const comparisonBuiltins: BuiltinDef[] = [];
