import type { BuiltinDef } from './registry';

export const httpSendBuiltins: BuiltinDef[] = [];
