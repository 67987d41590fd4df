import type { BuiltinDef } from './registry';

export const arraysBuiltins: BuiltinDef[] = [];
