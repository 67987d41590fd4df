import type { BuiltinDef } from './registry';

export const jwtBuiltins: BuiltinDef[] = [];
