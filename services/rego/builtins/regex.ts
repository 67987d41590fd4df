import type { BuiltinDef } from './registry';

export const regexBuiltins: BuiltinDef[] = [];
