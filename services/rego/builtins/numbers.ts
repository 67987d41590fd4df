import type { BuiltinDef } from './registry';

export const numbersBuiltins: BuiltinDef[] = [];
