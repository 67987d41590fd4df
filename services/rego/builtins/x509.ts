import type { BuiltinDef } from './registry';

export const x509Builtins: BuiltinDef[] = [];
