import type { BuiltinDef } from './registry';

export const cryptoBuiltins: BuiltinDef[] = [];
