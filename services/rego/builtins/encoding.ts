import type { BuiltinDef } from './registry';

export const encodingBuiltins: BuiltinDef[] = [];
