import type { BuiltinDef } from './registry';

export const membershipBuiltins: BuiltinDef[] = [];
