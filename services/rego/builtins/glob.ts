import type { BuiltinDef } from './registry';

export const globBuiltins: BuiltinDef[] = [];
