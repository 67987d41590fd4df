import type { BuiltinDef } from './registry';

export const semverBuiltins: BuiltinDef[] = [];
