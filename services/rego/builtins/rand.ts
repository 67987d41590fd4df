import type { BuiltinDef } from './registry';

export const randBuiltins: BuiltinDef[] = [];
