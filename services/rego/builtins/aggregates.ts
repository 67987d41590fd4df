import type { BuiltinDef } from './registry';

export const aggregatesBuiltins: BuiltinDef[] = [];
