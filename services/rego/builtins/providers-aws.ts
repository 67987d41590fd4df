import type { BuiltinDef } from './registry';

export const providersAwsBuiltins: BuiltinDef[] = [];
