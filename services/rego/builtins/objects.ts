import type { BuiltinDef } from './registry';

export const objectsBuiltins: BuiltinDef[] = [];
