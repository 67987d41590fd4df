import type { BuiltinDef } from './registry';

export const runtimeBuiltins: BuiltinDef[] = [];
