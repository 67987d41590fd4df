import type { BuiltinDef } from './registry';

export const sprintfBuiltins: BuiltinDef[] = [];
